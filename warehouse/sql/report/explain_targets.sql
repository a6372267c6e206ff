-- The dump to explain for each of the worst sources (ordered as sources.sql orders them): the source's
-- quarantined dump first, else the one with the most removed lines per kept paragraph.
with worst as (
    select
        source,
        row_number() over (order by share_quarantined desc, share_no_date desc, articles desc, source) as rank
    from source_quality
),

article_source as (
    select doc_id, coalesce(site, domain, nullif(split_part(source_file, '/', 1), source_file), '(unknown)') as source
    from articles
),

quarantine_source as (
    select
        doc_id,
        coalesce(
            json_extract_string(record, '$.site'),
            json_extract_string(record, '$.domain'),
            nullif(split_part(source_file, '/', 1), source_file),
            '(unknown)'
        ) as source
    from quarantine
),

doc_source as (
    select distinct doc_id, source from article_source
    union
    select distinct doc_id, source from quarantine_source
),

removed as (
    select doc_id, count(*) as removed_lines from boilerplate group by doc_id
),

kept as (
    select doc_id, count(*) as kept_paragraphs from paragraphs group by doc_id
),

ranked as (
    select
        w.rank,
        w.source,
        d.doc_id,
        d.source_file,
        d.status,
        coalesce(r.removed_lines, 0) as removed_lines,
        coalesce(k.kept_paragraphs, 0) as kept_paragraphs,
        row_number() over (
            partition by w.source
            order by d.status <> 'loaded' desc,
                coalesce(r.removed_lines, 0) / (coalesce(k.kept_paragraphs, 0) + 1) desc,
                d.source_file
        ) as pick
    from worst as w
    inner join doc_source as s on w.source = s.source
    inner join documents as d on s.doc_id = d.doc_id
    left join removed as r on d.doc_id = r.doc_id
    left join kept as k on d.doc_id = k.doc_id
),

final as (
    select rank, source, doc_id, source_file, status, removed_lines, kept_paragraphs
    from ranked
    where pick = 1
)

select * from final
order by rank
limit 25;
