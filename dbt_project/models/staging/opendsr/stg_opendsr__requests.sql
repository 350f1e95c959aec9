-- One row per data-subject request (OpenDSR subject_request_id).
with source as (
    select * from {{ source('opendsr', 'deletion_requests') }}
),

renamed as (
    select
        ----------  ids
        subject_request_id,

        ----------  strings
        subject_request_type as request_type,
        regulation,
        api_version,

        ----------  payloads
        subject_identities,

        ----------  timestamps
        submitted_time as submitted_at,

        ----------  lineage
        _file as source_file,
        _line as source_line,
        _loaded_at as loaded_at
    from source
),

deduplicated as (
    {{ kizuna.deduplicate('renamed', 'subject_request_id', 'loaded_at, source_file, source_line') }}
)

select * from deduplicated
