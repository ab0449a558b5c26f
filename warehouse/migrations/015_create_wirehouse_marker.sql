-- The marker that names this catalog as a Wirehouse warehouse and its schema version (the number
-- of the last migration applied; `apply_migrations` keeps it current in each later migration's
-- transaction). A run, `migrate`, `maintain` and every reader refuse a catalog holding tables but
-- neither this table nor (for warehouses made before this migration) Wirehouse's schema_migrations.
create table wirehouse (application varchar not null, schema_version integer not null);
insert into wirehouse values ('Wirehouse', 15);
