"""Running one notebook (papermill, in a kernel this worker keeps) and exporting it
(nbconvert, in-process, with the project's offline template and the site's header,
table of contents and footer).

Each worker process keeps one kernel and runs its notebooks in it one after the
other, with the namespace reset in between: starting a kernel and importing
pandas, matplotlib and scipy costs seconds per page otherwise. The kernel dies
with its worker (``PR_SET_PDEATHSIG``), however the worker dies.

Pages are reproducible: the cells get ids derived from the notebook's name and
their position before export (nbformat 4.5 ids; papermill gave its parameters
cell a random one), so the same inputs give the same bytes apart from the
build time.
"""

from __future__ import annotations

import os
import re
import secrets
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from queue import Empty

from jupyter_client.blocking import BlockingKernelClient

from analysis import config

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"
# Cells papermill adds to the executed copy (not counted when naming a failing cell).
_ADDED_BY_PAPERMILL = {"injected-parameters", "papermill-error-cell-tag"}
# Cells tagged so are for the researcher who opens the notebook, never published (their text is
# not translated): a notebook's published words all come from its code cells, in the page's language.
LAB_ONLY_TAG = "lab-only"

_WORKER_KERNEL = None


class NotebookFailed(RuntimeError):
    """The notebook raised; the message names the cell (counted in the source notebook) and the error."""


def worker_kernel(cwd: Path, log_dir: Path):
    """This worker's kernel manager, started (or restarted) as needed, with a clean namespace."""
    global _WORKER_KERNEL
    from jupyter_client.manager import KernelManager

    if _WORKER_KERNEL is not None and not _WORKER_KERNEL.is_alive():
        discard_worker_kernel()
    if _WORKER_KERNEL is None:
        log = open(log_dir / f"kernel-{os.getpid()}.log", "ab")
        _WORKER_KERNEL = start_kernel(lambda: KernelManager(kernel_name="python3", client_class=PROMPT_CLIENT), cwd=cwd, log=log)
        import multiprocessing.util

        # Shut the kernel down when the worker exits (atexit does not run in pool workers).
        multiprocessing.util.Finalize(None, discard_worker_kernel, exitpriority=10)
    else:
        reset_namespace(_WORKER_KERNEL)
    return _WORKER_KERNEL


PROMPT_CLIENT = "analysis.publish.runner.PromptClient"


class PromptClient(BlockingKernelClient):
    """A kernel client that is ready as soon as the kernel has answered on both channels.

    jupyter_client's ``wait_for_ready`` then waits for IOPub to stay silent for 0.2 s; papermill's client
    waits so before every notebook, and with two workers on two cores a core sat idle for those waits
    (about 3 s of a full build). The kernel_info round trip and one IOPub message (the subscription is
    live) are still required; what IOPub already holds is drained without waiting for more (nbclient
    ignores messages that answer no request of its own in any case).
    """

    def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (60.0 if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                reply = self.get_shell_msg(timeout=1)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                try:
                    self.get_iopub_msg(timeout=0.2)
                except Empty:
                    pass
                else:
                    self._handle_kernel_info_reply(reply)
                    break
            if not self.is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")
        while True:
            try:
                self.get_iopub_msg(timeout=0.01)
            except Empty:
                break


RESET = "%reset -f\nimport matplotlib.pyplot\nmatplotlib.pyplot.close('all')"


def reset_namespace(manager, timeout: float = 60) -> None:
    """Empty the namespace of a kernel that has run a notebook; return once it has.

    Only the shell channel's reply is awaited: ``wait_for_ready`` would first wait 0.2 s for IOPub to fall
    silent (jupyter_client's flush), and papermill's own client waits that again before the next notebook;
    with two workers on two cores those waits left a core idle for about 3 s of a full build.
    """
    client = manager.client()
    client.start_channels()
    try:
        reply = client.execute(RESET, silent=True, store_history=False, reply=True, timeout=timeout)
    finally:
        client.stop_channels()
    if reply["content"].get("status") != "ok":
        raise RuntimeError(f"the kernel could not reset its namespace: {reply['content'].get('ename')}: {reply['content'].get('evalue')}")


KERNEL_START_ATTEMPTS = 3


def start_kernel(make_manager, *, cwd: Path, log, attempts: int = KERNEL_START_ATTEMPTS):
    """A started kernel that has answered, trying again with fresh ports if it dies on start.

    jupyter_client picks free ports and releases them before the kernel binds them, so two
    workers starting kernels at the same moment can pick the same port; the loser dies with
    "Address already in use" before it replies ("Kernel died before replying to kernel_info").
    A new manager picks new ports, so a retry succeeds.
    """
    for attempt in range(1, attempts + 1):
        manager = make_manager()
        manager.start_kernel(cwd=str(cwd), stdout=log, stderr=log, env={**os.environ}, preexec_fn=_die_with_worker)
        client = manager.client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=120)
            return manager
        except RuntimeError:
            try:
                manager.shutdown_kernel(now=True)
            except Exception:
                pass
            if attempt == attempts:
                raise RuntimeError(f"the kernel died on start {attempts} times; see {getattr(log, 'name', 'the kernel log')}") from None
        finally:
            client.stop_channels()


def _die_with_worker() -> None:
    """In the kernel's process, before it runs Python: SIGKILL when the worker that started it dies.

    ipykernel also polls for its parent, but only once a second and only once it has started;
    a worker killed by the batch (or with it) would otherwise leave its kernel running.
    Async-signal-safe enough for ``preexec_fn``: one ``prctl`` call, no allocation in Python beyond it.
    """
    if _PRCTL is not None:
        _PRCTL(1, 9, 0, 0, 0)  # PR_SET_PDEATHSIG, SIGKILL


def _load_prctl():
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _load_prctl()


def kill_worker_kernel() -> None:
    """Kill this worker's kernel now (SIGKILL to its process group): for a worker being stopped, no polite shutdown."""
    global _WORKER_KERNEL
    manager, _WORKER_KERNEL = _WORKER_KERNEL, None
    provisioner = getattr(manager, "provisioner", None)
    pid = getattr(provisioner, "pid", None)
    if not pid:
        return
    import signal

    try:
        os.killpg(getattr(provisioner, "pgid", None) or pid, signal.SIGKILL)
    except OSError:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def discard_worker_kernel() -> None:
    global _WORKER_KERNEL
    if _WORKER_KERNEL is not None:
        try:
            _WORKER_KERNEL.shutdown_kernel(now=True)
        except Exception:
            pass
        _WORKER_KERNEL = None


@contextmanager
def stderr_to(log_path: Path):
    """Send this process's stderr (and the kernel's, which inherits it) to a log file."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(log_path, "w") as log:
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def failing_cell(executed: Path, exec_count: int | None) -> str:
    """'cell N (first line)', N counted in the source notebook (papermill's added cells left out)."""
    try:
        import nbformat

        cells = nbformat.read(executed, as_version=4).cells
        source_cells = [cell for cell in cells if not _ADDED_BY_PAPERMILL & set(cell.get("metadata", {}).get("tags", []))]
        position = next(i for i, cell in enumerate(source_cells) if cell.get("execution_count") == exec_count)
        first_line = (source_cells[position].source.strip().splitlines() or [""])[0][:80]
        return f"cell {position} ({first_line!r})"
    except Exception:  # the executed copy may be missing or unreadable after a crash
        return f"the cell with execution count {exec_count}"


def execute(notebook: Path, executed: Path, parameters: dict, *, root: Path, log_path: Path) -> None:
    """Run ``notebook`` with ``parameters`` into ``executed`` (written only when the run succeeds)."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    scratch = executed.with_name(f".{executed.name}.{os.getpid()}.tmp")
    executed.parent.mkdir(parents=True, exist_ok=True)
    try:
        with stderr_to(log_path):
            papermill.execute_notebook(
                str(notebook),
                str(scratch),
                parameters=parameters,
                kernel_name="python3",
                progress_bar=False,
                cwd=str(root),
                km=worker_kernel(root, log_path.parent),
                # Save the executed notebook once at the end, not after every cell.
                request_save_on_cell_execute=False,
            )
    except PapermillExecutionError as exc:
        discard_worker_kernel()
        where = failing_cell(scratch, exc.exec_count)
        scratch.unlink(missing_ok=True)
        raise NotebookFailed(f"notebook {notebook.name} failed at {where}: {exc.ename}: {exc.evalue} (log: {log_path})") from None
    except BaseException:
        discard_worker_kernel()
        scratch.unlink(missing_ok=True)
        raise
    os.replace(scratch, executed)


def stderr_lines(notebook) -> list[str]:
    lines = []
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                lines.append(f"cell {index}: {output.get('text', '').strip()[:300]}")
    return lines


def stable_cell_ids(notebook, path: Path) -> None:
    """Give every cell an id derived from the notebook's file name and the cell's position.

    nbformat allows any id of 1-64 letters, digits, ``-`` and ``_``, unique in the notebook;
    nbconvert writes them into the page (``id="cell-id=…"``). The notebook's own ids would do
    for its cells, but papermill gives the parameters cell it adds a random one each run.
    """
    import re

    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(path).name.removesuffix(".ipynb"))[:48].strip("-") or "cell"
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"{stem}-{index}"


# The output areas (and the markdown cells' input wrappers) a keyboard reaches: nbconvert's HTMLExporter sets the same
# attribute through a BeautifulSoup pass over the whole page (~0.4 s for a 2 MB page, and it sorts every tag's
# attributes); the template's own markup is regular enough for one substitution.
_OUTPUT_AREA = re.compile(r'(<div class="[^"]*(?<![\w-])jp-(?:OutputArea-output|Cell-inputWrapper)(?![\w-])[^"]*"[^>]*?)(?=\s*>)')
# An image without a text alternative (the pass named above gives it a placeholder; here a page must carry its own).
_IMG_WITHOUT_ALT = re.compile(r"<img\b(?![^>]*\balt=)[^>]*>")


# Character references the template writes in text and attributes ("Kielce i Gdynia &#8212; Transport" in a heading,
# "Smart Factor&#x27;s"), written as the characters they stand for (as the pass named above did), so that the page's
# typography (a no-break space before a spaced dash) finds them; markup characters stay escaped, scripts and styles as
# they are.
_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|apos);")
_RAW_TEXT = re.compile(r"(<(script|style)\b.*?</\2\s*>)", re.DOTALL | re.IGNORECASE)


def _characters(page: str) -> str:
    """``page`` with its numeric character references written as characters, except ``<``, ``>``, ``&`` and ``"``."""
    import html

    def plain(match: re.Match) -> str:
        character = html.unescape(match.group(0))
        return match.group(0) if character in '<>&"' or len(character) != 1 else character

    parts = _RAW_TEXT.split(page)
    # split() with two groups yields: text, whole block, tag name, text, …
    parts[::3] = [_REFERENCE.sub(plain, text) for text in parts[::3]]
    return "".join(part for index, part in enumerate(parts) if index % 3 != 2)


def _exporter_class():
    """nbconvert's HTMLExporter without its whole-page BeautifulSoup pass, which re-serialises the page to give images
    without ``alt`` a placeholder and output areas a ``tabindex``: here the output areas get theirs from
    :data:`_OUTPUT_AREA`, an image without a text alternative is an error (:func:`export_page`), and the page's DOM is
    the same (``tests/test_runner_export.py``). Measured in ``make bench``."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class OfflineHTMLExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            self.register_filter("highlight_code", self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return _characters(_OUTPUT_AREA.sub(r'\1 tabindex="0"', page)), resources

    return OfflineHTMLExporter


def export_page(
    executed: Path, *, lang: str, title: str, header_html: str, footer_html: str, toc, byline_html: str = "", built_iso: str | None = None
) -> tuple[str, list[str]]:
    """The executed notebook as one offline HTML page (code hidden, ``lab-only`` cells left out), with the
    site's header, TOC and footer.

    ``toc`` turns the exported page into its table of contents: the TOC is built
    from the page's own ``<h2>`` headings, so the page is exported once with a
    placeholder where the TOC goes, and the placeholder is then replaced.
    ``built_iso``, the page's date, fills in how old the data are (:func:`analysis.publish.site.fill_data_ages`).
    Returns (page, warnings the notebook printed to stderr).
    """
    import nbformat

    from analysis.publish.site import bind_one_letter_words, fill_data_ages, fold_sections, retitle_h1

    notebook = nbformat.read(executed, as_version=4)
    stable_cell_ids(notebook, executed)
    warnings = stderr_lines(notebook)
    # Notes for the researcher in JupyterLab (English markdown) are not part of either edition.
    notebook.cells = [cell for cell in notebook.cells if LAB_ONLY_TAG not in cell.get("metadata", {}).get("tags", [])]
    for cell in notebook.cells:
        # Warnings printed to stderr are for the console, not for the reader.
        cell["outputs"] = [o for o in cell.get("outputs", []) if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    notebook.metadata["title"] = title
    exporter = _exporter_class()(
        template_name="offline",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.language_code = lang
    placeholder = f"<!-- site-toc-{secrets.token_hex(8)} -->"
    from analysis.text.i18n import Lang

    tr = Lang(lang)
    resources = {
        "site_header_html": header_html,
        "site_toc_html": placeholder,
        "site_footer_html": footer_html,
        "skip_link_text": tr("Skip to content"),
    }
    page, _ = exporter.from_notebook_node(notebook, resources=resources)
    missing = _IMG_WITHOUT_ALT.search(page)
    if missing:
        raise ValueError(f"{Path(executed).name}: an image has no text alternative (alt): {missing.group(0)[:80]}")
    page = fold_sections(retitle_h1(page, title, byline_html))
    if built_iso:
        page = fill_data_ages(page, built_iso, tr)
    page = page.replace(placeholder, toc(page), 1)
    page = bind_one_letter_words(page, one_letter=lang == "pl")
    return page, warnings


__all__ = ["execute", "export_page", "NotebookFailed", "discard_worker_kernel", "config"]
