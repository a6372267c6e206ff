-- grain: one row per source: the site, else the domain, else the inbox sub-folder the dump came from
create or replace view source_quality as
with loaded as (
    select
        coalesce(site, domain, nullif(split_part(source_file, '/', 1), source_file), '(unknown)') as source,
        count(*) as articles,
        avg(word_count) as avg_words,
        avg(case when published is null then 1 else 0 end) as share_no_date,
        avg(case when len(authors) = 0 then 1 else 0 end) as share_no_author
    from articles
    group by 1
),

quarantined as (
    select
        coalesce(
            json_extract_string(record, '$.site'),
            json_extract_string(record, '$.domain'),
            nullif(split_part(source_file, '/', 1), source_file),
            '(unknown)'
        ) as source,
        count(*) as quarantined
    from quarantine
    group by 1
),

final as (
    select
        coalesce(l.source, q.source) as source,
        coalesce(l.articles, 0) as articles,
        coalesce(q.quarantined, 0) as quarantined,
        round(coalesce(q.quarantined, 0) / (coalesce(l.articles, 0) + coalesce(q.quarantined, 0)), 3)
            as share_quarantined,
        round(l.avg_words, 1) as avg_words,
        round(l.share_no_date, 3) as share_no_date,
        round(l.share_no_author, 3) as share_no_author
    from loaded as l
    full outer join quarantined as q on l.source = q.source
)

select * from final;
