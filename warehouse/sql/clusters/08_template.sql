-- The template paragraphs of one chunk of the unclustered articles (chunk_bodies): those of their paragraphs
-- found word for word (case and surrounding spaces aside) in at least getvariable('template_min_articles')
-- loaded articles of the same site (else domain), by the counts of story_paragraph_counts.
with split as (
    select
        site,
        unnest(string_split(body, chr(10) || chr(10))) as paragraph
    from chunk_bodies
    where site is not null
),

normalised as (
    select distinct site, lower(trim(paragraph, ' ' || chr(9) || chr(13) || chr(10))) as norm
    from split
),

final as (
    select p.site, p.norm
    from normalised as p
    inner join story_paragraph_counts as c on p.site = c.site and md5_number_lower(p.norm) = c.hash
    where c.articles >= getvariable('template_min_articles')
)

select * from final;
