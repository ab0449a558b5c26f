-- Per run and suite: how many expectations passed, failed as error, failed as warning.
create or replace view report_validation_summary as
select
    run_id,
    suite,
    count(*)                                           as expectations,
    count(*) filter (where success)                    as passed,
    count(*) filter (where not success and severity = 'error') as errors,
    count(*) filter (where not success and severity = 'warn')  as warnings
from validation_results
group by run_id, suite
order by run_id, suite;
