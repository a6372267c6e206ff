create or replace temp view stg_articles as
with source as (
    select * from incoming_articles
),

final as (
    select
        article_id,
        doc_id,
        source_file,
        position,
        nullif(trim(title), '') as title,
        nullif(trim(subtitle), '') as subtitle,
        authors,
        published,
        published_raw,
        nullif(trim(site), '') as site,
        url,
        lower(language) as language,
        body,
        word_count,
        paragraph_count,
        run_id,
        nullif(trim(dateline), '') as dateline,
        lower(domain) as domain
    from source
)

select * from final;
