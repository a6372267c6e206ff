-- grain: one row per site; how complete and how clean its articles are
create or replace view source_quality as
with loaded as (
    select
        coalesce(site, '(unknown)') as site,
        count(*) as articles,
        avg(word_count) as avg_words,
        avg(case when published is null then 1 else 0 end) as share_no_date,
        avg(case when len(authors) = 0 then 1 else 0 end) as share_no_author
    from articles
    group by 1
),

quarantined as (
    select
        coalesce(json_extract_string(q.record, '$.site'), '(unknown)') as site,
        count(*) as quarantined
    from quarantine as q
    group by 1
),

final as (
    select
        coalesce(l.site, q.site) as site,
        coalesce(l.articles, 0) as articles,
        coalesce(q.quarantined, 0) as quarantined,
        round(l.avg_words, 1) as avg_words,
        round(l.share_no_date, 3) as share_no_date,
        round(l.share_no_author, 3) as share_no_author
    from loaded as l
    full outer join quarantined as q on l.site = q.site
)

select * from final;
