"""Publishing the reports, split by job:

- :mod:`.manifest` — ``reports.yml`` as pydantic models, the jobs it declares, parameter checks;
- :mod:`.runner` — running one notebook (papermill) and exporting it (nbconvert);
- :mod:`.batch` — the lock, change detection, publishing each report as a whole, pruning;
- :mod:`.site` — header, table of contents, footer, index pages and language chooser (Jinja).

Nothing heavy is imported here, so a build with nothing to do finishes in well under a second.
"""

from analysis.publish.batch import JobResult, publish, write_indexes
from analysis.publish.manifest import Job, Manifest, Vocabulary, default_jobs, find_job, load_manifest, make_variant, parse_assignments

__all__ = [
    "Job",
    "JobResult",
    "Manifest",
    "Vocabulary",
    "default_jobs",
    "find_job",
    "load_manifest",
    "make_variant",
    "parse_assignments",
    "publish",
    "write_indexes",
]
