-- Identifier values that the blocklist keeps out of the graph, with the rule and reason that matched.
with observations as (
    select * from {{ ref('int_identity_observations') }}
),

blocklist as (
    select * from {{ ref('identity_blocklist') }}
),

matched as (
    select
        observations.identifier_type,
        observations.identifier_value,
        observations.record_source,
        observations.observed_at,
        blocklist.match_type,
        blocklist.pattern,
        blocklist.reason
    from observations
    inner join blocklist
        on observations.identifier_type = blocklist.identifier_type
        and (
            (blocklist.match_type = 'exact' and observations.identifier_value = blocklist.pattern)
            or (blocklist.match_type = 'regex' and {{ kizuna.regexp_like('observations.identifier_value', 'blocklist.pattern') }})
        )
),

ranked as (
    -- when several rules match, an exact value rule explains it best, then the first pattern
    select
        *,
        row_number() over (
            partition by identifier_type, identifier_value
            order by case when match_type = 'exact' then 0 else 1 end, pattern
        ) as rule_rank,
        count(*) over (partition by identifier_type, identifier_value) as records,
        min(observed_at) over (partition by identifier_type, identifier_value) as first_seen_at,
        max(observed_at) over (partition by identifier_type, identifier_value) as last_seen_at
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
