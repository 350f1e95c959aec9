-- Key merges and splits, oldest first: a tool holding an old key follows old_key -> new_key.
select
    old_key,
    new_key,
    changed_at,
    reason,
    identifiers_moved
from {{ source('identity', 'customer_key_changes') }}
