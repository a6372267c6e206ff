-- The articles not clustered yet, in the order they were first seen (the order they join clusters in), each with
-- the text that is shingled: its body less its site's template, the paragraphs (blank-line separated) found word
-- for word in at least getvariable('template_min_articles') loaded articles of the same site (else domain).
with unclustered as (
    select a.article_id, a.body, coalesce(a.site, a.domain) as site, d.ingested_at as first_seen
    from articles as a
    inner join documents as d on a.doc_id = d.doc_id
    anti join story_clusters as c on a.article_id = c.article_id
),

site_paragraphs as (
    select
        coalesce(a.site, a.domain) as site,
        a.article_id,
        unnest(string_split(a.body, chr(10) || chr(10))) as paragraph
    from articles as a
    where coalesce(a.site, a.domain) in (select site from unclustered)
),

template as (
    select site, lower(trim(paragraph, ' ' || chr(9) || chr(13) || chr(10))) as norm
    from site_paragraphs
    group by 1, 2
    having count(distinct article_id) >= getvariable('template_min_articles')
),

todo_paragraphs as (
    select
        article_id,
        site,
        unnest(string_split(body, chr(10) || chr(10))) as paragraph,
        unnest(range(len(string_split(body, chr(10) || chr(10))))) as n
    from unclustered
    where site in (select site from template)
),

stripped as (
    select
        p.article_id,
        coalesce(string_agg(p.paragraph, chr(10) || chr(10) order by p.n) filter (where t.norm is null), '')
            as body
    from todo_paragraphs as p
    left join template as t
        on p.site = t.site and lower(trim(p.paragraph, ' ' || chr(9) || chr(13) || chr(10))) = t.norm
    group by p.article_id
),

final as (
    select u.article_id, coalesce(s.body, u.body) as body, u.first_seen
    from unclustered as u
    left join stripped as s on u.article_id = s.article_id
    order by u.first_seen, u.article_id
)

select * from final;
