-- The columns segment rules may use: every column of customer_profiles, plus the person's persona.
select
    profiles.*,
    personas.persona_id,
    personas.persona_label
from {{ ref('customer_profiles') }} as profiles
left join {{ source('personas', 'customer_personas') }} as personas on personas.customer_key = profiles.customer_key
