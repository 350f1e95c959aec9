-- Identifier values that the blocklist keeps out of the graph, with the rule and reason that matched.
with values_seen as (
    -- rules are matched once per distinct value, not once per record
    select
        identifier_type,
        identifier_value,
        count(*) as records,
        min(observed_at) as first_seen_at,
        max(observed_at) as last_seen_at
    from {{ ref('int_identity_observations') }}
    group by identifier_type, identifier_value
),

blocklist as (
    select * from {{ ref('identity_blocklist') }}
),

matched as (
    select
        values_seen.*,
        blocklist.match_type,
        blocklist.pattern,
        blocklist.reason
    from values_seen
    inner join blocklist
        on values_seen.identifier_type = blocklist.identifier_type
        and (
            (blocklist.match_type = 'exact' and values_seen.identifier_value = blocklist.pattern)
            or (blocklist.match_type = 'regex' and {{ kizuna.regexp_like('values_seen.identifier_value', 'blocklist.pattern') }})
        )
),

ranked as (
    -- when several rules match, an exact value rule explains it best, then the first pattern
    select
        *,
        row_number() over (
            partition by identifier_type, identifier_value
            order by case when match_type = 'exact' then 0 else 1 end, pattern
        ) as rule_rank
    from matched
)

select
    identifier_type,
    identifier_value,
    reason,
    pattern as matched_rule,
    records,
    first_seen_at,
    last_seen_at
from ranked
where rule_rank = 1
