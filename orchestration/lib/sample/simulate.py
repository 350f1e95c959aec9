"""Behaviour of one shard of people, turned into vendor records for every source.

Records are collected per landing file (``Output.files``) and the ground truth
(which person is behind each record and identifier) beside them.
"""

from __future__ import annotations

import random
import string
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

from . import formats as fmt
from . import reference as ref
from .people import Person, uuid_from

JST = timezone(timedelta(hours=9))
JUNK_EMAIL = "test@example.com"
JUNK_PHONE = "000-0000-0000"
FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")
PRODUCTS_BY_CATEGORY: dict[str, list[tuple]] = defaultdict(list)
for _product in ref.PRODUCTS:
    PRODUCTS_BY_CATEGORY[_product[2]].append(_product)


def product_properties(sku: str, name: str, category: str, price: int) -> dict:
    """The product fields of Segment's e-commerce spec events (Product Viewed, Product Added)."""
    return {"product_id": sku, "sku": sku, "name": name, "category": category, "price": price}


@dataclass
class Output:
    # relative landing path -> list of records (dict for JSON Lines, list for CSV rows)
    files: dict[str, list] = field(default_factory=lambda: defaultdict(list))
    truth_records: list[tuple[str, str, str]] = field(default_factory=list)  # source, key, person
    truth_identifiers: list[tuple[str, str, str]] = field(default_factory=list)  # person, type, value
    # relative landing path -> when the vendor drops it: the end of its period (its modification time)
    dropped_at: dict[str, datetime] = field(default_factory=dict)


@dataclass
class ConsentHistory:
    """One person's decisions per purpose, in time order, whichever system recorded them."""

    decisions: dict[str, list[tuple[datetime, str]]] = field(default_factory=lambda: defaultdict(list))

    def record(self, purpose: str, moment: datetime, status: str) -> None:
        self.decisions[purpose].append((moment, status))
        self.decisions[purpose].sort()

    def is_granted(self, purpose: str, moment: datetime) -> bool:
        """The latest decision up to ``moment`` is a grant (no decision means not granted)."""
        past = [status for at, status in self.decisions.get(purpose, []) if at <= moment]
        return bool(past) and past[-1] == "granted"

    def first_grant(self, purpose: str) -> datetime | None:
        return next((at for at, status in self.decisions.get(purpose, []) if status == "granted"), None)


class Simulator:
    def __init__(self, rng: random.Random, shard: int, end: datetime):
        self.rng = rng
        self.shard = shard
        self.end = end
        self.out = Output()
        self._orders = 0
        self._receipts = 0
        self.part = f"p{shard:02d}"

    # ---------------------------------------------------------------- helpers
    def _file(self, folder: str, stem: str, moment: datetime, grain: str, ext: str) -> str:
        day = moment.astimezone(UTC)
        stamp = day.strftime("%Y-%m-%d") if grain == "day" else day.strftime("%Y-%m")
        path = f"{folder}/{stem}-{stamp}-{self.part}.{ext}"
        if path not in self.out.dropped_at:
            start = day.replace(hour=0, minute=0, second=0, microsecond=0)
            if grain == "day":
                period_end = start + timedelta(days=1)
            else:
                period_end = (start.replace(day=1) + timedelta(days=32)).replace(day=1)
            self.out.dropped_at[path] = min(period_end, self.end)
        return path

    def _record(self, source: str, key: str, person: Person) -> None:
        self.out.truth_records.append((source, key, person.person_id))

    def _messy_email(self, email: str) -> str:
        r = self.rng.random()
        if r < 0.04:
            return f" {email[0].upper()}{email[1:]} "
        if r < 0.07:
            return email.upper()
        if r < 0.075:  # typed on a Japanese keyboard in full-width mode
            return email.translate(
                str.maketrans(string.ascii_lowercase + "@.", "".join(chr(0xFF41 + i) for i in range(26)) + "＠．")
            )
        return email

    def _messy_phone(self, phone: str) -> str:
        r = self.rng.random()
        if r < 0.25:
            return phone.replace("-", "")
        if r < 0.35:
            return phone.translate(FULL_WIDTH)
        if r < 0.45:
            return "+81 " + phone[1:]
        if r < 0.5:
            return "(" + phone[:3] + ") " + phone[4:].replace("-", " ")
        return phone

    def _products(self, person: Person, n: int) -> list[tuple]:
        picks = []
        for _ in range(n):
            if self.rng.random() < 0.7:
                picks.append(self.rng.choice(PRODUCTS_BY_CATEGORY[self.rng.choice(person.category_affinity)]))
            else:
                picks.append(self.rng.choice(ref.PRODUCTS))
        return picks

    def _moments(self, person: Person, count: int) -> list[datetime]:
        span = max(1.0, (person.churn_at - person.first_seen).total_seconds())
        return sorted(person.first_seen + timedelta(seconds=self.rng.random() * span) for _ in range(count))

    # ---------------------------------------------------------------- people
    def simulate(self, person: Person) -> None:
        self._identifiers(person)
        consents = self._consents(person)
        orders = self._web_sessions(person)
        self._store_visits(person)
        self._forms(person, orders)
        self._email_engagement(person, consents)
        self._shopify_customer(person, orders, consents)
        self._privacy_requests(person)

    def _identifiers(self, p: Person) -> None:
        add = self.out.truth_identifiers.append
        for email, _ in p.emails:
            add((p.person_id, "email", email))
        if p.phone:
            add((p.person_id, "phone", p.phone))
        for anon, _ in p.devices:
            add((p.person_id, "anonymous_id", anon))
        if p.shopify_customer_id:
            add((p.person_id, "shopify_customer_id", str(p.shopify_customer_id)))
        if p.loyalty_card_id:
            add((p.person_id, "loyalty_card_id", p.loyalty_card_id))
        if p.line_user_id:
            add((p.person_id, "line_user_id", p.line_user_id))

    # ---------------------------------------------------------------- Segment
    def _segment(
        self, p: Person, kind: str, moment: datetime, anon: str, user_id: str | None, platform: str, **fields
    ) -> dict:
        rng = self.rng
        if moment >= self.end:  # nothing happens after the simulated history ends
            return {}
        received = moment + timedelta(milliseconds=rng.randrange(80, 2500))
        if rng.random() < 0.02:  # late: delivered days after it happened (offline app, retries)
            received += timedelta(days=rng.randrange(1, 6), hours=rng.randrange(24))
        context = {
            "library": {"name": "analytics.js" if platform == "web" else f"analytics-{platform}", "version": "5.2.1"},
            "locale": "ja-JP" if not p.is_western else "en-US",
            "timezone": "Asia/Tokyo",
            "ip": f"203.0.113.{rng.randrange(1, 255)}",
        }
        if platform == "web":
            context["userAgent"] = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15"
        else:
            context["device"] = {"type": platform, "manufacturer": "Apple" if platform == "ios" else "Google"}
            context["app"] = {"name": "Kizuna", "version": "3.4.0"}
        message = {"messageId": f"ajs-{uuid_from(rng)}", "type": kind, "anonymousId": anon}
        if user_id:
            message["userId"] = user_id
        message.update(fields)
        message["context"] = context
        message["timestamp"] = fmt.iso_z(moment)
        message["sentAt"] = fmt.iso_z(moment + timedelta(milliseconds=40))
        message["receivedAt"] = fmt.iso_z(received)
        message["version"] = 2
        path = self._file("events", "segment", received, "day", "jsonl")
        self.out.files[path].append(message)
        self._record("events", message["messageId"], p)
        if rng.random() < 0.01:  # the SDK retried: same messageId delivered twice
            self.out.files[path].append(dict(message))
        return message

    def _web_sessions(self, p: Person) -> list[dict]:
        rng = self.rng
        orders: list[dict] = []
        n_sessions = max(1, int(rng.expovariate(1 / (7.5 * p.activity))))
        signed_up = False
        for moment in self._moments(p, n_sessions):
            device_count = 1 + int(
                (moment - p.first_seen) / max(p.churn_at - p.first_seen, timedelta(days=1)) * len(p.devices)
            )
            anon, platform = p.devices[
                min(len(p.devices), device_count) - 1
                if rng.random() < 0.6
                else rng.randrange(min(len(p.devices), device_count))
            ]
            user_id = None
            t = moment
            if p.is_registered and moment >= p.signup_at:
                if not signed_up or rng.random() < 0.7:
                    user_id = str(p.shopify_customer_id)
                if not signed_up or rng.random() < 0.08:
                    self._identify(p, t, anon, user_id or str(p.shopify_customer_id), platform)
                    user_id = str(p.shopify_customer_id)
                    if not signed_up and rng.random() < 0.1:
                        self._segment(p, "alias", t, anon, user_id, platform, previousId=anon)
                    signed_up = True
            kind = "page" if platform == "web" else "screen"
            for _ in range(rng.randrange(1, 3)):
                t += timedelta(seconds=rng.randrange(5, 90))
                self._segment(
                    p,
                    kind,
                    t,
                    anon,
                    user_id,
                    platform,
                    name=rng.choice(["Home", "New Arrivals", "Sale", "Journal"]),
                    properties={"path": "/", "title": "Kizuna"},
                )
            viewed = self._products(p, rng.randrange(0, 4))
            for sku, name, category, price, *_ in viewed:
                t += timedelta(seconds=rng.randrange(10, 120))
                self._segment(
                    p,
                    "track",
                    t,
                    anon,
                    user_id,
                    platform,
                    event="Product Viewed",
                    properties={**product_properties(sku, name, category, price), "currency": "JPY"},
                )
            if viewed and rng.random() < 0.35:
                sku, name, category, price, *_ = viewed[-1]
                t += timedelta(seconds=rng.randrange(10, 60))
                self._segment(
                    p,
                    "track",
                    t,
                    anon,
                    user_id,
                    platform,
                    event="Product Added",
                    properties={
                        **product_properties(sku, name, category, price),
                        "quantity": 1,
                        "currency": "JPY",
                        "cart_id": uuid_from(rng)[:13],
                    },
                )
                if user_id and rng.random() < 0.55:
                    t += timedelta(minutes=rng.randrange(2, 30))
                    order = self._online_order(p, t, viewed)
                    orders.append(order)
                    self._segment(
                        p,
                        "track",
                        t,
                        anon,
                        user_id,
                        platform,
                        event="Order Completed",
                        properties={
                            "order_id": str(order["id"]),
                            "checkout_id": order["name"],
                            "revenue": order["total"],
                            "currency": "JPY",
                            "products": [
                                {"product_id": s, "sku": s, "quantity": q, "price": pr}
                                for s, _n, q, pr in order["lines"]
                            ],
                        },
                    )
        return orders

    def _identify(self, p: Person, moment: datetime, anon: str, user_id: str, platform: str) -> None:
        email = p.email_at(moment) or p.emails[0][0]
        traits = {
            "email": self._messy_email(email),
            "firstName": p.romaji[0].title() if p.is_western else p.given_name,
            "lastName": p.romaji[1] if p.is_western else p.family_name,
        }
        if p.phone and self.rng.random() < 0.5:
            traits["phone"] = self._messy_phone(p.phone)
        if p.line_user_id and self.rng.random() < 0.6:
            traits["lineUserId"] = p.line_user_id
        if self.rng.random() < 0.003:  # a QA tester's junk address slips into production
            traits["email"] = JUNK_EMAIL
        traits["address"] = {"state": p.prefecture[2], "country": "JP"}
        self._segment(p, "identify", moment, anon, user_id, platform, traits=traits)

    # ---------------------------------------------------------------- Shopify
    def _online_order(self, p: Person, moment: datetime, viewed: list[tuple]) -> dict:
        rng = self.rng
        self._orders += 1
        created = moment.astimezone(JST)
        name = f"#KZ{self.shard:02d}{self._orders:06d}"
        order_id = 5_400_000_000_000 + self.shard * 10_000_000 + self._orders
        lines = []
        for sku, pname, _cat, price, *_ in viewed[-1:] + self._products(p, rng.randrange(0, 3)):
            lines.append((sku, pname, rng.choice([1, 1, 1, 2]), price))
        subtotal = sum(q * pr for _s, _n, q, pr in lines)
        shipping = 0 if subtotal >= 10000 else 550
        total = subtotal + shipping
        status = rng.choices(["paid", "refunded", "partially_refunded", "pending"], [93, 3, 2, 2])[0]
        email = p.email_at(moment) or p.emails[0][0]
        billing_name = f"{p.family_name} {p.given_name}"
        phone = "'+81" + p.phone[1:].replace("-", "") if p.phone and rng.random() < 0.5 else ""
        path = self._file("shopify_orders", "orders_export", created, "month", "csv")
        zip_code = f"'{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)}"
        for i, (sku, pname, qty, price) in enumerate(lines):
            row = dict.fromkeys(fmt.SHOPIFY_ORDERS_HEADER, "")
            row.update(
                {
                    "Name": name,
                    "Email": self._messy_email(email) if i == 0 else email,
                    "Lineitem quantity": str(qty),
                    "Lineitem name": pname,
                    "Lineitem price": f"{price:.2f}",
                    "Lineitem sku": sku,
                    "Lineitem requires shipping": "true",
                    "Lineitem taxable": "true",
                    "Lineitem fulfillment status": "fulfilled",
                    "Vendor": "Kizuna",
                    "Lineitem discount": "0.00",
                }
            )
            if i == 0:
                row.update(
                    {
                        "Financial Status": status,
                        "Paid at": fmt.shopify_time(created + timedelta(minutes=1)),
                        "Fulfillment Status": "fulfilled",
                        "Fulfilled at": fmt.shopify_time(created + timedelta(days=2)),
                        "Accepts Marketing": rng.choice(["yes", "no"]),
                        "Currency": "JPY",
                        "Subtotal": f"{subtotal:.2f}",
                        "Shipping": f"{shipping:.2f}",
                        "Taxes": f"{round(subtotal / 11):.2f}",
                        "Total": f"{total:.2f}",
                        "Discount Amount": "0.00",
                        "Shipping Method": "Yamato Standard",
                        "Created at": fmt.shopify_time(created),
                        "Billing Name": billing_name,
                        "Billing Province": p.prefecture[0][3:],
                        "Billing Country": "JP",
                        "Billing Zip": zip_code,
                        "Billing City": ref.CITY_BY_PREFECTURE.get(p.prefecture[0], p.prefecture[2]),
                        "Billing Phone": phone,
                        "Shipping Name": billing_name,
                        "Shipping Country": "JP",
                        "Shipping Province": p.prefecture[0][3:],
                        "Shipping Zip": zip_code,
                        "Shipping Phone": phone,
                        "Notes": "置き配希望\n玄関前にお願いします" if rng.random() < 0.01 else "",
                        "Payment Method": rng.choice(["Shopify Payments", "PayPay", "Konbini"]),
                        "Id": str(order_id),
                        "Risk Level": "Low",
                        "Source": "web",
                        "Phone": phone,
                        "Billing Province Name": p.prefecture[1],
                        "Shipping Province Name": p.prefecture[1],
                        "Refunded Amount": f"{total:.2f}" if status == "refunded" else "0.00",
                    }
                )
            self.out.files[path].append([row[c] for c in fmt.SHOPIFY_ORDERS_HEADER])
        self._record("shopify_orders", name, p)
        return {"name": name, "id": order_id, "total": total, "lines": lines, "at": moment}

    def _shopify_customer(self, p: Person, orders: list[dict], consents: ConsentHistory) -> None:
        """Monthly incremental customer exports: a row whenever the customer was created or changed.

        The marketing flags show the state when the export is taken, at the end of the month.
        """
        if not p.is_registered:
            return
        rng = self.rng
        change_moments = [p.signup_at] + [since for _e, since in p.emails[1:]] + [o["at"] for o in orders]
        months = sorted({m.astimezone(JST).strftime("%Y-%m"): m for m in change_moments if m <= self.end}.values())
        for moment in months:
            done = [o for o in orders if o["at"] <= moment]
            email = p.email_at(moment) or p.emails[0][0]
            path = self._file("shopify_customers", "customers_export", moment, "month", "csv")
            exported_at = self.out.dropped_at[path]
            row = dict.fromkeys(fmt.SHOPIFY_CUSTOMERS_HEADER, "")
            row.update(
                {
                    "Customer ID": f"'{p.shopify_customer_id}",
                    "First Name": p.romaji[0].title() if p.is_western else p.given_name,
                    "Last Name": p.romaji[1] if p.is_western else p.family_name,
                    "Email": self._messy_email(email),
                    "Accepts Email Marketing": "yes" if consents.is_granted("email_marketing", exported_at) else "no",
                    "Default Address City": ref.CITY_BY_PREFECTURE.get(p.prefecture[0], p.prefecture[2]),
                    "Default Address Province Code": p.prefecture[0],
                    "Default Address Country Code": "JP",
                    "Default Address Zip": f"'{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)}",
                    "Phone": f"'+81{p.phone[1:].replace('-', '')}" if p.phone and rng.random() < 0.7 else "",
                    "Accepts SMS Marketing": "yes" if consents.is_granted("sms_marketing", exported_at) else "no",
                    "Total Spent": f"{sum(o['total'] for o in done):.2f}",
                    "Total Orders": str(len(done)),
                    "Tax Exempt": "no",
                    "Tags": "vip, newsletter" if len(done) > 4 else "",
                }
            )
            self.out.files[path].append([row[c] for c in fmt.SHOPIFY_CUSTOMERS_HEADER])
            self._record("shopify_customers", str(p.shopify_customer_id), p)

    # ---------------------------------------------------------------- stores
    def _store_visits(self, p: Person) -> None:
        if not p.is_store_shopper:
            return
        rng = self.rng
        local = [s for s in ref.STORES if s[2] == p.prefecture[0]]
        for moment in self._moments(p, max(1, int(rng.expovariate(1 / (2.5 * p.activity))))):
            store = local[0] if local and rng.random() < 0.85 else rng.choice(ref.STORES)
            self._receipts += 1
            at = moment.astimezone(JST).replace(hour=rng.randrange(10, 21))
            if at >= self.end:
                continue
            receipt = f"{store[0]}-{at:%Y%m%d}-{self.shard:02d}{self._receipts:07d}"
            card = p.loyalty_card_id if p.loyalty_card_id and rng.random() < 0.88 else ""
            phone = ""
            if p.phone and (rng.random() < 0.25 or (not card and rng.random() < 0.5)):
                phone = self._messy_phone(p.phone)
            if phone and rng.random() < 0.01:
                phone = JUNK_PHONE  # staff typed a placeholder at the register
            path = self._file("pos_transactions", "pos", at, "month", "csv")
            payment = rng.choice(["cash", "credit_card", "paypay", "suica"])
            for n, (sku, name, category, price, *_) in enumerate(self._products(p, rng.randrange(1, 4)), start=1):
                qty = rng.choice([1, 1, 2])
                self.out.files[path].append(
                    [
                        receipt,
                        store[0],
                        store[1],
                        f"R{rng.randrange(1, 4)}",
                        at.isoformat(timespec="seconds"),
                        card,
                        phone,
                        str(n),
                        sku,
                        name,
                        category,
                        str(qty),
                        str(price),
                        str(qty * price),
                        payment,
                    ]
                )
            self._record("pos_transactions", receipt, p)

    # ---------------------------------------------------------------- forms
    def _answer(self, ref_id: str, qtype: str, value) -> dict:
        field = {"id": ref_id[:12], "type": qtype, "ref": ref_id}
        if qtype == "email":
            return {"type": "email", "email": value, "field": field}
        if qtype == "date":
            return {"type": "date", "date": value, "field": field}
        if qtype == "phone_number":
            return {"type": "phone_number", "phone_number": value, "field": field}
        if qtype in ("opinion_scale", "rating"):
            return {"type": "number", "number": value, "field": field}
        if qtype == "short_text":
            return {"type": "text", "text": value, "field": field}
        if isinstance(value, list):
            return {"type": "choices", "choices": {"labels": value}, "field": field}
        return {"type": "choice", "choice": {"label": value}, "field": field}

    def _form(self, p: Person, kind: str, moment: datetime, hidden: dict, values: dict) -> None:
        rng = self.rng
        form_id, title, questions = ref.FORMS[kind]
        answers = [self._answer(q_ref, q_type, values[q_ref]) for q_ref, q_type, _t, _c in questions if q_ref in values]
        if not answers:
            return
        token = "".join(rng.choices(string.ascii_lowercase + string.digits, k=32))
        submitted = moment + timedelta(seconds=rng.randrange(20, 400))
        payload = {
            "event_id": "01" + "".join(rng.choices(string.ascii_uppercase + string.digits, k=24)),
            "event_type": "form_response",
            "form_response": {
                "form_id": form_id,
                "token": token,
                "landed_at": fmt.iso_z(moment)[:-5] + "Z",
                "submitted_at": fmt.iso_z(submitted)[:-5] + "Z",
                "hidden": {k: v for k, v in hidden.items() if v},
                "definition": {
                    "id": form_id,
                    "title": title,
                    "fields": [
                        {"id": q_ref[:12], "ref": q_ref, "type": q_type, "title": q_title}
                        for q_ref, q_type, q_title, _c in questions
                    ],
                },
                "answers": answers,
            },
        }
        path = self._file("zero_party", "typeform", submitted, "month", "jsonl")
        self.out.files[path].append(payload)
        self._record("zero_party", token, p)

    def _forms(self, p: Person, orders: list[dict]) -> None:
        rng = self.rng
        choices = {q_ref: c for _k, (_f, _t, qs) in ref.FORMS.items() for q_ref, _ty, _ti, c in qs if c}
        anon = p.devices[0][0]
        if p.is_registered and rng.random() < 0.7:
            email = p.emails[0][0]
            if rng.random() < 0.005:
                email = JUNK_EMAIL
            values = {
                "email": self._messy_email(email),
                "first_name": p.given_name,
                "newsletter_topics": rng.sample(choices["newsletter_topics"], k=rng.randrange(1, 3)),
            }
            if rng.random() < 0.5:
                values["birthday"] = p.birthday.isoformat()
            self._form(p, "signup", p.signup_at, {"anonymous_id": anon}, values)
        if p.is_registered:
            for moment in self._moments(p, rng.choices([0, 1, 2], [68, 24, 8])[0]):
                if moment < p.signup_at:
                    continue
                values = {
                    q: (
                        rng.sample(c, k=rng.randrange(1, 3))
                        if q in ("favourite_categories", "favourite_colours", "newsletter_topics")
                        else rng.choice(c)
                    )
                    for q, c in (
                        (q, choices[q])
                        for q in (
                            "favourite_categories",
                            "top_size",
                            "shoe_size",
                            "favourite_colours",
                            "preferred_channel",
                            "contact_frequency",
                            "newsletter_topics",
                        )
                    )
                    if rng.random() < 0.6
                }
                if "favourite_categories" in values:
                    values["favourite_categories"] = sorted(
                        set(values["favourite_categories"]) | {p.category_affinity[0]}
                    )
                self._form(
                    p,
                    "preference_center",
                    moment,
                    {"customer_id": str(p.shopify_customer_id), "email": p.email_at(moment)},
                    values,
                )
        if rng.random() < 0.2:
            moment = self._moments(p, 1)[0]
            hidden = {"anonymous_id": p.devices[-1][0]}
            if p.is_registered and moment >= p.signup_at:
                hidden["customer_id"] = str(p.shopify_customer_id)
            values = {
                "style": rng.choice(choices["style"]),
                "budget": rng.choice(choices["budget"]),
                "purchase_intent": rng.choice(choices["purchase_intent"]),
            }
            if rng.random() < 0.5:
                values["skin_type"] = rng.choice(choices["skin_type"])
            self._form(p, "quiz", moment, hidden, values)
        for order in orders:
            if rng.random() < 0.15:
                self._form(
                    p,
                    "survey",
                    order["at"] + timedelta(days=rng.randrange(3, 10)),
                    {
                        "customer_id": str(p.shopify_customer_id),
                        "email": p.email_at(order["at"]),
                        "order_id": order["name"],
                    },
                    {
                        "nps": rng.randrange(0, 11),
                        "delivery_satisfaction": rng.randrange(1, 6),
                        "return_reason": rng.choice(choices["return_reason"]),
                    },
                )
        if rng.random() < 0.1:
            self._form(
                p,
                "poll",
                self._moments(p, 1)[0],
                {"anonymous_id": anon},
                {"winter_plans": rng.choice(choices["winter_plans"])},
            )
        if p.loyalty_card_id and rng.random() < 0.7:
            phone = self._messy_phone(p.phone) if p.phone else ""
            values = {
                "loyalty_card_id": p.loyalty_card_id,
                "birthday": p.birthday.isoformat(),
                "prefecture": p.prefecture[0],
            }
            if phone:
                values["phone"] = phone
            self._form(p, "loyalty_enrollment", p.first_seen + timedelta(hours=1), {"store_id": "ST-001"}, values)

    # ---------------------------------------------------------------- consent
    def _consent(
        self, p: Person, moment: datetime, purpose: str, channel: str, status: str, method: str, identifiers: dict
    ) -> None:
        receipt_id = uuid_from(self.rng)
        policy_version = "2025-04" if moment < datetime(2025, 4, 1, tzinfo=UTC) else "2026-04"
        receipt = {
            "version": "KI-CR-v1.1.0",
            "jurisdiction": "JP",
            "consentTimestamp": fmt.epoch(moment),
            "collectionMethod": method,
            "consentReceiptID": receipt_id,
            "language": "ja",
            "piiPrincipalId": next(iter(identifiers.values())),
            "piiPrincipalIdentifiers": identifiers,
            "piiControllers": [
                {
                    "piiController": "Kizuna Apparel K.K.",
                    "contact": "Privacy Office",
                    "address": {"streetAddress": "Jingumae, Shibuya-ku", "addressCountry": "JP"},
                    "email": "privacy@kizuna.example",
                    "phone": "03-0000-0000",
                }
            ],
            "policyUrl": f"https://kizuna.example/privacy/{policy_version}",
            "policyVersion": policy_version,
            "services": [
                {
                    "service": "Kizuna customer communications",
                    "purposes": [
                        {
                            "purpose": purpose,
                            "purposeCategory": [
                                "6 - Marketing"
                                if purpose.endswith("marketing") or purpose == "ads_audience"
                                else "5 - Personalize Experience"
                            ],
                            "consentType": "EXPLICIT",
                            "piiCategory": ["2 - Contact"],
                            "primaryPurpose": False,
                            "termination": "until withdrawn",
                            "thirdPartyDisclosure": purpose == "ads_audience",
                            "channel": channel,
                            "consentStatus": status,
                        }
                    ],
                }
            ],
            "sensitive": False,
            "spiCat": [],
        }
        path = self._file("consent_events", "consent_receipts", moment, "month", "jsonl")
        self.out.files[path].append(receipt)
        self._record("consent_events", receipt_id, p)

    def _consents(self, p: Person) -> ConsentHistory:
        """Decisions at sign-up (web) or enrollment (store), later withdrawals."""
        rng = self.rng
        consents = ConsentHistory()
        rates = {
            "email_marketing": 0.72,
            "sms_marketing": 0.3,
            "line_marketing": 0.55,
            "personalization": 0.5,
            "ads_audience": 0.35,
        }
        if p.is_registered:
            ids = {"email": p.emails[0][0], "customer_id": str(p.shopify_customer_id)}
            start, method = p.signup_at, "web signup form"
        elif p.loyalty_card_id:
            ids = {"loyalty_card_id": p.loyalty_card_id}
            if p.phone:
                ids["phone"] = p.phone
            start, method = p.first_seen, "store tablet at loyalty enrollment"
        else:
            return consents
        for purpose, channel in ref.CONSENT_PURPOSES:
            if purpose == "sms_marketing" and not p.phone:
                continue
            if purpose == "line_marketing":
                if not p.line_user_id:
                    continue
                ids_here, method_here = {"line_user_id": p.line_user_id}, "LINE official account opt-in"
            else:
                ids_here, method_here = ids, method
            if purpose == "email_marketing" and "email" not in ids_here:
                continue
            if rng.random() >= rates[purpose]:
                continue
            moment = start + timedelta(seconds=rng.randrange(1, 600))
            self._consent(p, moment, purpose, channel, "granted", method_here, ids_here)
            consents.record(purpose, moment, "granted")
            if rng.random() < 0.1:  # changed their mind, possibly through another identity
                later = moment + timedelta(days=rng.randrange(1, 400))
                if later < self.end:
                    via = ids_here
                    if p.phone and purpose == "sms_marketing" and rng.random() < 0.5:
                        via = {"phone": self._messy_phone(p.phone)}
                    self._consent(p, later, purpose, channel, "withdrawn", "preference center", via)
                    consents.record(purpose, later, "withdrawn")
        return consents

    # ---------------------------------------------------------------- e-mail
    def _email_engagement(self, p: Person, consents: ConsentHistory) -> None:
        """Monthly campaigns while the person is subscribed; an unsubscribe or spam report withdraws consent."""
        granted_at = consents.first_grant("email_marketing")
        if not granted_at:
            return
        rng = self.rng
        month = granted_at.astimezone(JST).replace(day=10, hour=10, minute=0, second=0, microsecond=0)
        open_rate = min(0.8, 0.25 * p.activity)
        bounced = rng.random() < 0.01
        while True:
            month = (month + timedelta(days=32)).replace(day=10)
            if month >= min(self.end, p.churn_at + timedelta(days=120)):
                break
            email = p.email_at(month)
            if not email or not consents.is_granted("email_marketing", month):
                break
            category = rng.choice(ref.EMAIL_CAMPAIGN_CATEGORIES)
            message_id = f"{rng.getrandbits(64):016x}.filterdrecv-{rng.randrange(100, 999)}.{rng.randrange(10**6)}.0"
            sent = month + timedelta(minutes=rng.randrange(0, 120))
            if bounced:
                self._sendgrid(
                    p,
                    sent,
                    email,
                    "bounce",
                    category,
                    message_id,
                    reason="550 5.1.1 user unknown",
                    status="5.1.1",
                    type="bounce",
                    bounce_classification="Invalid Address",
                )
                break
            self._sendgrid(p, sent + timedelta(seconds=3), email, "delivered", category, message_id, response="250 OK")
            if rng.random() < open_rate:
                opened = sent + timedelta(minutes=rng.randrange(5, 2000))
                self._sendgrid(
                    p,
                    opened,
                    email,
                    "open",
                    category,
                    message_id,
                    sg_machine_open=False,
                    useragent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)",
                    ip="198.51.100.7",
                )
                if rng.random() < 0.18:
                    self._sendgrid(
                        p,
                        opened + timedelta(seconds=rng.randrange(5, 300)),
                        email,
                        "click",
                        category,
                        message_id,
                        url=f"https://kizuna.example/collections/{rng.choice(ref.CATEGORIES)}",
                        url_offset={"index": 0, "type": "html"},
                        useragent="Mozilla/5.0",
                        ip="198.51.100.7",
                    )
            for withdrawal, rate in (("unsubscribe", 0.006), ("spamreport", 0.0008)):
                if rng.random() < rate:
                    at = sent + timedelta(hours=rng.randrange(1, 48))
                    self._sendgrid(p, at, email, withdrawal, category, message_id)
                    if at < self.end:
                        consents.record("email_marketing", at, "withdrawn")
                    return

    def _sendgrid(
        self, p: Person, moment: datetime, email: str, event: str, category: str, message_id: str, **extra
    ) -> None:
        if moment >= self.end:
            return
        sg_event_id = "".join(self.rng.choices(string.ascii_letters + string.digits + "-_", k=22)) + "=="
        record = {
            "email": email,
            "timestamp": fmt.epoch(moment),
            "smtp-id": f"<{message_id[:16]}@ismtpd-kz>",
            "event": event,
            "category": [category],
            "sg_event_id": sg_event_id,
            "sg_message_id": message_id,
            "marketing_campaign_name": f"{category} {moment:%Y-%m}",
        }
        record.update(extra)
        path = self._file("email_engagement", "sendgrid", moment, "day", "jsonl")
        self.out.files[path].append(record)
        self._record("email_engagement", sg_event_id, p)

    # ---------------------------------------------------------------- privacy
    def _privacy_requests(self, p: Person) -> None:
        rng = self.rng
        r = rng.random()
        if r >= 0.005 or not p.emails:
            return
        kind = "erasure" if r < 0.003 else "access"
        moment = self.end - timedelta(days=rng.randrange(1, 60))
        request_id = uuid_from(rng)
        identities = [{"identity_type": "email", "identity_value": p.emails[-1][0], "identity_format": "raw"}]
        if p.shopify_customer_id and rng.random() < 0.4:
            identities.append(
                {
                    "identity_type": "controller_customer_id",
                    "identity_value": str(p.shopify_customer_id),
                    "identity_format": "raw",
                }
            )
        request = {
            "subject_request_id": request_id,
            "subject_request_type": kind,
            "submitted_time": moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "subject_identities": identities,
            "api_version": "1.0",
            "regulation": "gdpr" if p.is_western else "appi",
            "status_callback_urls": ["https://kizuna.example/privacy/callbacks"],
        }
        path = self._file("deletion_requests", "opendsr", moment, "month", "jsonl")
        self.out.files[path].append(request)
        self._record("deletion_requests", request_id, p)
