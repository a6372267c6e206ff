create or replace temp view stg_documents as
with source as (
    select * from incoming_documents
),

final as (
    select
        doc_id,
        source_file,
        lower(format) as format,
        bytes,
        encoding,
        file_sha256,
        status,
        articles_extracted,
        article_count,
        ingested_at,
        run_id
    from source
)

select * from final;
