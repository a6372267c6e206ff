-- One chunk of the unclustered articles (seq from getvariable('chunk_first') to getvariable('chunk_last')), in
-- first-seen order, with their sites and bodies.
select u.article_id, u.site, u.first_seen, a.body
from unclustered as u
inner join articles as a on u.article_id = a.article_id
where u.seq between getvariable('chunk_first') and getvariable('chunk_last')
order by u.seq;
