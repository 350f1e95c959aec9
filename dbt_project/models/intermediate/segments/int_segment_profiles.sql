-- The columns segment rules may use: every column of customer_profiles.
select * from {{ ref('customer_profiles') }}
