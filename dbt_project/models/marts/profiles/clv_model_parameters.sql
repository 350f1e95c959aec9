-- The fitted CLV model parameters, one set per as-of date (time unit: weeks).
select as_of, model, parameter, value, customers, log_likelihood, fitted_at
from {{ source('clv', 'model_parameters') }}
