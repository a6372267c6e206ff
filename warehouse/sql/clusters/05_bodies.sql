-- The bodies of the unclustered articles with their sites (any order: read as a stream of batches).
select u.article_id, u.site, a.body
from unclustered as u
inner join articles as a on u.article_id = a.article_id;
