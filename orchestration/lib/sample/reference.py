"""Reference tables for the sample generator: names, places, products, stores, forms.

Names are kept as (kanji, kana, romaji) triples so that a person's e-mail
address agrees with their name. Prefectures carry their region and whether the
winter is cold (Hokkaido, Tohoku and the Japan Sea side), which the starter
segments use.
"""

from __future__ import annotations

# (kanji, katakana, romaji), roughly in order of frequency
JA_SURNAMES = [
    ("佐藤", "サトウ", "sato"), ("鈴木", "スズキ", "suzuki"), ("高橋", "タカハシ", "takahashi"),
    ("田中", "タナカ", "tanaka"), ("伊藤", "イトウ", "ito"), ("渡辺", "ワタナベ", "watanabe"),
    ("山本", "ヤマモト", "yamamoto"), ("中村", "ナカムラ", "nakamura"),
    ("小林", "コバヤシ", "kobayashi"), ("加藤", "カトウ", "kato"), ("吉田", "ヨシダ", "yoshida"),
    ("山田", "ヤマダ", "yamada"), ("佐々木", "ササキ", "sasaki"), ("山口", "ヤマグチ", "yamaguchi"),
    ("松本", "マツモト", "matsumoto"), ("井上", "イノウエ", "inoue"), ("木村", "キムラ", "kimura"),
    ("林", "ハヤシ", "hayashi"), ("斎藤", "サイトウ", "saito"), ("清水", "シミズ", "shimizu"),
    ("山崎", "ヤマザキ", "yamazaki"), ("森", "モリ", "mori"), ("池田", "イケダ", "ikeda"),
    ("橋本", "ハシモト", "hashimoto"), ("阿部", "アベ", "abe"), ("石川", "イシカワ", "ishikawa"),
    ("山下", "ヤマシタ", "yamashita"), ("中島", "ナカジマ", "nakajima"), ("石井", "イシイ", "ishii"),
    ("小川", "オガワ", "ogawa"), ("前田", "マエダ", "maeda"), ("岡田", "オカダ", "okada"),
    ("長谷川", "ハセガワ", "hasegawa"), ("藤田", "フジタ", "fujita"), ("後藤", "ゴトウ", "goto"),
    ("近藤", "コンドウ", "kondo"), ("村上", "ムラカミ", "murakami"), ("遠藤", "エンドウ", "endo"),
    ("青木", "アオキ", "aoki"), ("坂本", "サカモト", "sakamoto"), ("斉藤", "サイトウ", "saito"),
    ("福田", "フクダ", "fukuda"), ("太田", "オオタ", "ota"), ("西村", "ニシムラ", "nishimura"),
    ("藤井", "フジイ", "fujii"), ("金子", "カネコ", "kaneko"), ("岡本", "オカモト", "okamoto"),
    ("藤原", "フジワラ", "fujiwara"), ("中野", "ナカノ", "nakano"), ("三浦", "ミウラ", "miura"),
]
JA_GIVEN_FEMALE = [
    ("陽葵", "ヒマリ", "himari"), ("結衣", "ユイ", "yui"), ("美咲", "ミサキ", "misaki"),
    ("さくら", "サクラ", "sakura"), ("愛", "アイ", "ai"), ("花子", "ハナコ", "hanako"),
    ("由美", "ユミ", "yumi"), ("恵子", "ケイコ", "keiko"), ("真由美", "マユミ", "mayumi"),
    ("彩", "アヤ", "aya"), ("優子", "ユウコ", "yuko"), ("智子", "トモコ", "tomoko"),
    ("麻衣", "マイ", "mai"), ("奈々", "ナナ", "nana"), ("千尋", "チヒロ", "chihiro"),
    ("葵", "アオイ", "aoi"), ("凛", "リン", "rin"), ("芽依", "メイ", "mei"),
    ("明美", "アケミ", "akemi"), ("久美子", "クミコ", "kumiko"), ("直美", "ナオミ", "naomi"),
    ("舞", "マイ", "mai"), ("香織", "カオリ", "kaori"), ("理恵", "リエ", "rie"),
]
JA_GIVEN_MALE = [
    ("翔太", "ショウタ", "shota"), ("大輔", "ダイスケ", "daisuke"), ("健太", "ケンタ", "kenta"),
    ("拓也", "タクヤ", "takuya"), ("太郎", "タロウ", "taro"), ("蓮", "レン", "ren"),
    ("悠真", "ユウマ", "yuma"), ("湊", "ミナト", "minato"), ("誠", "マコト", "makoto"),
    ("浩", "ヒロシ", "hiroshi"), ("隆", "タカシ", "takashi"), ("健一", "ケンイチ", "kenichi"),
    ("直樹", "ナオキ", "naoki"), ("亮", "リョウ", "ryo"), ("翼", "ツバサ", "tsubasa"),
    ("大樹", "ダイキ", "daiki"), ("和也", "カズヤ", "kazuya"), ("陸", "リク", "riku"),
    ("一郎", "イチロウ", "ichiro"), ("修", "オサム", "osamu"), ("剛", "ツヨシ", "tsuyoshi"),
]
WESTERN_SURNAMES = [
    "Smith", "Johnson", "Brown", "Miller", "Wilson", "Taylor", "Anderson", "Thomas",
    "Martin", "Garcia", "Martinez", "Robinson", "Clark", "Lewis", "Walker", "Young",
    "Müller", "Schmidt", "Dubois", "Rossi", "O'Brien", "Nguyen", "Kim", "Silva",
]
WESTERN_GIVEN_FEMALE = ["Emma", "Olivia", "Sophie", "Chloé", "Mia", "Hannah", "Grace", "Lucy"]
WESTERN_GIVEN_MALE = ["James", "Liam", "Noah", "Lucas", "Daniel", "Thomas", "Jack", "Ben"]

# (ISO 3166-2 code, Japanese name, English name, region, has_cold_winter, population weight)
PREFECTURES = [
    ("JP-01", "北海道", "Hokkaido", "Hokkaido", True, 5.1),
    ("JP-02", "青森県", "Aomori", "Tohoku", True, 1.2),
    ("JP-03", "岩手県", "Iwate", "Tohoku", True, 1.2),
    ("JP-04", "宮城県", "Miyagi", "Tohoku", True, 2.3),
    ("JP-05", "秋田県", "Akita", "Tohoku", True, 0.9),
    ("JP-06", "山形県", "Yamagata", "Tohoku", True, 1.0),
    ("JP-07", "福島県", "Fukushima", "Tohoku", True, 1.8),
    ("JP-08", "茨城県", "Ibaraki", "Kanto", False, 2.8),
    ("JP-09", "栃木県", "Tochigi", "Kanto", False, 1.9),
    ("JP-10", "群馬県", "Gunma", "Kanto", False, 1.9),
    ("JP-11", "埼玉県", "Saitama", "Kanto", False, 7.3),
    ("JP-12", "千葉県", "Chiba", "Kanto", False, 6.3),
    ("JP-13", "東京都", "Tokyo", "Kanto", False, 14.0),
    ("JP-14", "神奈川県", "Kanagawa", "Kanto", False, 9.2),
    ("JP-15", "新潟県", "Niigata", "Chubu", True, 2.2),
    ("JP-16", "富山県", "Toyama", "Chubu", True, 1.0),
    ("JP-17", "石川県", "Ishikawa", "Chubu", True, 1.1),
    ("JP-18", "福井県", "Fukui", "Chubu", True, 0.8),
    ("JP-19", "山梨県", "Yamanashi", "Chubu", False, 0.8),
    ("JP-20", "長野県", "Nagano", "Chubu", True, 2.0),
    ("JP-21", "岐阜県", "Gifu", "Chubu", False, 2.0),
    ("JP-22", "静岡県", "Shizuoka", "Chubu", False, 3.6),
    ("JP-23", "愛知県", "Aichi", "Chubu", False, 7.5),
    ("JP-24", "三重県", "Mie", "Kansai", False, 1.8),
    ("JP-25", "滋賀県", "Shiga", "Kansai", False, 1.4),
    ("JP-26", "京都府", "Kyoto", "Kansai", False, 2.6),
    ("JP-27", "大阪府", "Osaka", "Kansai", False, 8.8),
    ("JP-28", "兵庫県", "Hyogo", "Kansai", False, 5.4),
    ("JP-29", "奈良県", "Nara", "Kansai", False, 1.3),
    ("JP-30", "和歌山県", "Wakayama", "Kansai", False, 0.9),
    ("JP-31", "鳥取県", "Tottori", "Chugoku", True, 0.5),
    ("JP-32", "島根県", "Shimane", "Chugoku", True, 0.7),
    ("JP-33", "岡山県", "Okayama", "Chugoku", False, 1.9),
    ("JP-34", "広島県", "Hiroshima", "Chugoku", False, 2.8),
    ("JP-35", "山口県", "Yamaguchi", "Chugoku", False, 1.3),
    ("JP-36", "徳島県", "Tokushima", "Shikoku", False, 0.7),
    ("JP-37", "香川県", "Kagawa", "Shikoku", False, 0.9),
    ("JP-38", "愛媛県", "Ehime", "Shikoku", False, 1.3),
    ("JP-39", "高知県", "Kochi", "Shikoku", False, 0.7),
    ("JP-40", "福岡県", "Fukuoka", "Kyushu", False, 5.1),
    ("JP-41", "佐賀県", "Saga", "Kyushu", False, 0.8),
    ("JP-42", "長崎県", "Nagasaki", "Kyushu", False, 1.3),
    ("JP-43", "熊本県", "Kumamoto", "Kyushu", False, 1.7),
    ("JP-44", "大分県", "Oita", "Kyushu", False, 1.1),
    ("JP-45", "宮崎県", "Miyazaki", "Kyushu", False, 1.1),
    ("JP-46", "鹿児島県", "Kagoshima", "Kyushu", False, 1.6),
    ("JP-47", "沖縄県", "Okinawa", "Okinawa", False, 1.5),
]

CITY_BY_PREFECTURE = {
    "JP-01": "Sapporo", "JP-04": "Sendai", "JP-13": "Shibuya-ku", "JP-14": "Yokohama",
    "JP-23": "Nagoya", "JP-26": "Kyoto", "JP-27": "Osaka", "JP-28": "Kobe", "JP-40": "Fukuoka",
    "JP-34": "Hiroshima", "JP-15": "Niigata", "JP-47": "Naha",
}

PERSONAL_EMAIL_DOMAINS = [
    ("gmail.com", 40), ("yahoo.co.jp", 22), ("icloud.com", 12), ("docomo.ne.jp", 7),
    ("ezweb.ne.jp", 5), ("softbank.ne.jp", 4), ("outlook.jp", 5), ("hotmail.co.jp", 3),
    ("nifty.com", 2),
]

# sku, name, category, price (JPY), discontinued, winter item
PRODUCTS = [
    ("KZ-COAT-001", "Wool Chester Coat", "outerwear", 32000, False, True),
    ("KZ-COAT-002", "Down Parka", "outerwear", 28000, False, True),
    ("KZ-COAT-003", "Quilted Liner Jacket", "outerwear", 14800, True, True),
    ("KZ-KNIT-001", "Cashmere Crew Knit", "knitwear", 16500, False, True),
    ("KZ-KNIT-002", "Cable Knit Cardigan", "knitwear", 9900, True, True),
    ("KZ-TOP-001", "Supima Cotton Tee", "tops", 2990, False, False),
    ("KZ-TOP-002", "Oxford Button-down Shirt", "tops", 5990, False, False),
    ("KZ-TOP-003", "Linen Blouse", "tops", 6990, True, False),
    ("KZ-BTM-001", "Wide Tapered Pants", "bottoms", 7990, False, False),
    ("KZ-BTM-002", "Selvedge Denim", "bottoms", 12900, False, False),
    ("KZ-BTM-003", "Pleated Midi Skirt", "bottoms", 8990, False, False),
    ("KZ-DRS-001", "Shirt Dress", "dresses", 11900, False, False),
    ("KZ-SHO-001", "Leather Loafers", "shoes", 19800, False, False),
    ("KZ-SHO-002", "Canvas Sneakers", "shoes", 8800, True, False),
    ("KZ-BAG-001", "Nylon Tote", "bags", 6600, False, False),
    ("KZ-BAG-002", "Leather Shoulder Bag", "bags", 24000, False, False),
    ("KZ-ACC-001", "Wool Scarf", "accessories", 4990, False, True),
    ("KZ-ACC-002", "Leather Gloves", "accessories", 5990, False, True),
    ("KZ-BTY-001", "Hydrating Serum", "beauty", 4400, False, False),
    ("KZ-BTY-002", "Gentle Cleanser", "beauty", 2200, False, False),
    ("KZ-BTY-003", "SPF50 Day Cream", "beauty", 3300, False, False),
    ("KZ-HOM-001", "Linen Bed Sheet", "home", 12000, False, False),
    ("KZ-HOM-002", "Ceramic Mug", "home", 1800, False, False),
]
CATEGORIES = sorted({p[2] for p in PRODUCTS})

# store_id, store name, prefecture code
STORES = [
    ("ST-001", "Kizuna Shibuya", "JP-13"), ("ST-002", "Kizuna Ginza", "JP-13"),
    ("ST-003", "Kizuna Umeda", "JP-27"), ("ST-004", "Kizuna Sapporo Stellar", "JP-01"),
    ("ST-005", "Kizuna Sendai", "JP-04"), ("ST-006", "Kizuna Nagoya Sakae", "JP-23"),
    ("ST-007", "Kizuna Tenjin", "JP-40"), ("ST-008", "Kizuna Yokohama", "JP-14"),
]

# Typeform-shaped forms: form id, kind, title, questions (ref, type, title, choices)
FORMS = {
    "signup": ("Xy1SgnUp", "Join Kizuna", [
        ("email", "email", "Your e-mail", None),
        ("first_name", "short_text", "First name", None),
        ("birthday", "date", "Your birthday (for a birthday gift)", None),
        ("newsletter_topics", "multiple_choice", "What would you like to hear about?",
         ["new_arrivals", "sale", "styling_tips", "beauty", "home"]),
    ]),
    "preference_center": ("Pr3fCntr", "Your preferences", [
        ("favourite_categories", "multiple_choice", "Which categories do you shop?", CATEGORIES),
        ("top_size", "dropdown", "Your top size", ["XS", "S", "M", "L", "XL"]),
        ("shoe_size", "dropdown", "Your shoe size (cm)",
         ["22.5", "23.0", "23.5", "24.0", "24.5", "25.0", "25.5", "26.0", "26.5", "27.0", "28.0"]),
        ("favourite_colours", "multiple_choice", "Colours you love",
         ["black", "navy", "beige", "white", "grey", "green", "red", "pastel"]),
        ("preferred_channel", "multiple_choice", "How should we reach you?",
         ["email", "sms", "line", "app_push"]),
        ("contact_frequency", "multiple_choice", "How often?", ["weekly", "monthly", "only_sales"]),
        ("newsletter_topics", "multiple_choice", "Newsletter topics",
         ["new_arrivals", "sale", "styling_tips", "beauty", "home"]),
    ]),
    "quiz": ("StyLQuiz", "Style diagnosis", [
        ("style", "multiple_choice", "Which look feels like you?",
         ["classic", "casual", "minimal", "feminine", "street", "outdoor"]),
        ("budget", "multiple_choice", "Typical budget for one item",
         ["under_5000", "5000_15000", "15000_30000", "over_30000"]),
        ("purchase_intent", "multiple_choice", "When are you planning to buy?",
         ["this_week", "this_month", "just_looking"]),
        ("skin_type", "multiple_choice", "Your skin type", ["dry", "oily", "combination", "sensitive"]),
    ]),
    "survey": ("SrvyPost", "How was your purchase?", [
        ("nps", "opinion_scale", "How likely are you to recommend us? (0-10)", None),
        ("delivery_satisfaction", "rating", "Delivery (1-5)", None),
        ("return_reason", "multiple_choice", "If you returned something, why?",
         ["size", "colour", "quality", "changed_mind", "no_return"]),
    ]),
    "poll": ("P0llWntr", "Quick poll", [
        ("winter_plans", "multiple_choice", "This winter you will mostly be...",
         ["skiing", "travelling_south", "staying_home", "city_life"]),
    ]),
    "loyalty_enrollment": ("LoyaltyJn", "Kizuna Members card", [
        ("loyalty_card_id", "short_text", "Card number", None),
        ("phone", "phone_number", "Mobile phone", None),
        ("birthday", "date", "Birthday", None),
        ("prefecture", "dropdown", "Prefecture", [p[0] for p in PREFECTURES]),
    ]),
}

CONSENT_PURPOSES = [
    ("email_marketing", "email"), ("sms_marketing", "sms"), ("line_marketing", "line"),
    ("personalization", "all"), ("ads_audience", "all"),
]

EMAIL_CAMPAIGN_CATEGORIES = ["newsletter", "new_arrivals", "sale", "winter_campaign", "birthday"]
