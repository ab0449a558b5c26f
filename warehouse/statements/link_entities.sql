-- Point the mentions of touched keys at their entity (mentions of other keys already are), and
-- every quote speaker at its key's entity (quotes are few; this also links a new quote whose
-- speaker key the batch did not touch).
update mentions set entity_id = t.new_entity_id
from touched_keys t
where mentions.entity_key = t.entity_key
  and mentions.entity_id is distinct from t.new_entity_id;

update quotes set speaker_entity_id = k.entity_id
from entity_keys k
where quotes.speaker_key = k.entity_key
  and quotes.speaker_entity_id is distinct from k.entity_id;

drop table key_counts;
drop table touched_keys;
drop table touched_entities;
