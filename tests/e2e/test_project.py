"""End-to-end test of research projects (imported by test_app.py): load a layer, draw
annotations with the Project tab's tools, save the project to a granted path under
tests/e2e/out/, remove the layer and the annotation, reopen the project and see both
back. Paths are granted by scripts/e2e.sh (BORDER_ATLAS_E2E_GRANT=tests/)."""

import json
import os
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIX = os.path.join(ROOT, "tests", "fixtures")
OUT = os.path.join(ROOT, "tests", "e2e", "out")


def _h():
    import test_app as t  # the shared helpers

    return t


def body(d, attr):
    return d.find_element(By.TAG_NAME, "body").get_attribute(attr)


def click_map(d, lon, lat):
    """A click on the map at a position, as MapLibre delivers it to the tools."""
    d.execute_script(
        """const m = window.atlasMap; const p = m.project([arguments[0], arguments[1]]);
        m.fire('click', {point: p, lngLat: m.unproject(p), originalEvent: {}});""",
        lon,
        lat,
    )


def texts(d, selector):
    """Text of the elements matching `selector`, read in one call (the Project tab
    re-renders when the project's status changes, so found elements can go stale)."""
    return d.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map(e => e.innerText);", selector
    )


def click(d, selector):
    """Click the first element matching `selector` (found and clicked in one call)."""
    assert d.execute_script(
        "const e = document.querySelector(arguments[0]); if (!e) return false; e.click(); return true;", selector
    ), selector


def fill_annotation_dialog(d, t, title, note):
    dlg = t.wait(d, lambda: d.find_element(By.ID, "annotation-dialog"), "annotation dialog")
    dlg.find_element(By.ID, "annotation-title").send_keys(title)
    if note:
        dlg.find_element(By.ID, "annotation-note").send_keys(note)
    d.find_element(By.ID, "annotation-ok").click()


def test_project_save_reopen_with_annotations(d):
    t = _h()
    from test_files import open_paths

    path = os.path.join(OUT, "e2e-study.atlas.json")
    for p in (path, path + ".bak"):
        if os.path.exists(p):
            os.remove(p)
    t.wait(d, lambda: body(d, "data-project-ready") == "true", "project panel ready", 60)
    # A layer (the earlier file tests may have loaded one already).
    d.find_element(By.CSS_SELECTOR, ".tabs button[data-tab=layers]").click()
    before = int(body(d, "data-layers") or 0)
    r = open_paths(d, [os.path.join(FIX, "layers", "zones-synthetic.geojson")])
    assert "ids" in r, r
    t.wait(d, lambda: int(body(d, "data-layers") or 0) == before + 1, "layer loaded")
    t.js(d, "window.atlasMap.jumpTo({center: [70.8, 34.0], zoom: 8})")
    t.wait_idle(d)

    # Annotations drawn with the tools: a point (one click) and a polygon (clicks, Enter).
    d.find_element(By.CSS_SELECTOR, ".tabs button[data-tab=project]").click()
    click(d, "#btn-draw-point")
    assert body(d, "data-drawing") == "point"
    click_map(d, 70.8, 34.0)
    fill_annotation_dialog(d, t, "Checkpoint (synthetic)", "Seen in footage <b>not markup</b>")
    t.wait(d, lambda: body(d, "data-annotations") == "1", "point annotation listed")
    click(d, "#btn-draw-polygon")
    for lon, lat in ((70.6, 33.8), (71.0, 33.8), (70.9, 34.2)):
        click_map(d, lon, lat)
    d.find_element(By.TAG_NAME, "body").send_keys(Keys.ENTER)
    fill_annotation_dialog(d, t, "Area of interest", "")
    t.wait(d, lambda: body(d, "data-annotations") == "2", "polygon annotation listed")
    items = texts(d, "#annotation-list li")
    assert "Checkpoint (synthetic)" in items[0] and "<b>not markup</b>" in items[0], items
    assert "Polygon (3 corners)" in items[1], items
    # Undo / redo from the keyboard.
    d.find_element(By.TAG_NAME, "body").send_keys(Keys.CONTROL, "z")
    t.wait(d, lambda: body(d, "data-annotations") == "1", "undo")
    d.find_element(By.TAG_NAME, "body").send_keys(Keys.CONTROL, Keys.SHIFT, "z")
    t.wait(d, lambda: body(d, "data-annotations") == "2", "redo")
    t.wait_idle(d)
    drawn = t.js(d, "return window.atlasMap.queryRenderedFeatures({layers: ['annotations-point', 'annotations-fill']}).length")
    assert drawn >= 2, drawn
    t.wait(d, lambda: body(d, "data-project-dirty") == "true", "unsaved changes")
    assert d.title.endswith("•"), d.title
    t.shot(d, "12-annotations")

    # A filter typed in the Filters tab is saved with the project (a corridor wide enough
    # to keep every incident).
    d.find_element(By.CSS_SELECTOR, ".tabs button[data-tab=filters]").click()
    d.find_element(By.ID, "filter-corridor").send_keys("5000")
    t.wait(d, lambda: t.js(d, "return window.atlasApp.filter.borderKm") == 5000, "corridor applied")

    # Save to a granted path (the same command as Save as…, without the dialog).
    res = d.execute_async_script(
        """const done = arguments[arguments.length - 1];
        window.atlasProject.save(true, arguments[0]).then(() => done('ok'), e => done(String(e)));""",
        path,
    )
    assert res == "ok", res
    t.wait(d, lambda: os.path.exists(path), "project file")
    t.wait(d, lambda: body(d, "data-project-dirty") == "false", "saved (clean)")
    assert d.title == "Border Atlas — e2e-study", d.title
    with open(path) as f:
        saved = json.load(f)
    assert saved["format_version"] == 1
    assert len(saved["annotations"]["items"]) == 2
    assert any(l["source"]["type"] == "file" and l["source"]["path"].endswith("zones-synthetic.geojson") for l in saved["layers"]), saved["layers"]

    # Change the corridor after saving: reopening must show the saved one in the field.
    d.find_element(By.CSS_SELECTOR, ".tabs button[data-tab=filters]").click()
    corridor = d.find_element(By.ID, "filter-corridor")
    corridor.send_keys(Keys.BACKSPACE * 4, "4000")
    t.wait(d, lambda: t.js(d, "return window.atlasApp.filter.borderKm") == 4000, "corridor changed")
    t.js(d, "document.activeElement.blur()")

    # Remove the layer (Layers panel) and an annotation (Project panel).
    d.find_element(By.CSS_SELECTOR, ".tabs button[data-tab=layers]").click()
    n = int(body(d, "data-layers"))
    click(d, "#layer-list li.layer button[title='Remove layer']")
    d.find_element(By.CSS_SELECTOR, "#modal .dialog .actions button.primary").click()
    t.wait(d, lambda: int(body(d, "data-layers")) == n - 1, "layer removed")
    d.find_element(By.CSS_SELECTOR, ".tabs button[data-tab=project]").click()
    click(d, "#annotation-list li button[title='Delete']")
    t.wait(d, lambda: body(d, "data-annotations") == "1", "annotation deleted")
    t.wait(d, lambda: body(d, "data-project-dirty") == "true", "dirty after removing")

    # Reopen: asked to discard the changes, then everything saved is back.
    d.execute_script("void window.atlasProject.open(arguments[0]);", path)
    dlg = t.wait(d, lambda: d.find_element(By.CSS_SELECTOR, "#modal .dialog"), "discard dialog")
    assert "unsaved changes" in dlg.text, dlg.text
    dlg.find_element(By.CSS_SELECTOR, ".actions button.primary").click()
    t.wait(d, lambda: body(d, "data-annotations") == "2", "annotations back", 60)
    t.wait(d, lambda: body(d, "data-project-loading") == "0" and body(d, "data-layers") == str(n), "layers back", 60)
    t.wait(d, lambda: body(d, "data-project-dirty") == "false", "clean after reopening")
    # The Filters tab shows the project's filter, not what was typed before.
    assert d.find_element(By.ID, "filter-corridor").get_attribute("value") == "5000"
    d.find_element(By.CSS_SELECTOR, ".tabs button[data-tab=project]").click()
    text = " ".join(texts(d, "#annotation-list"))
    assert "Checkpoint (synthetic)" in text and "Area of interest" in text, text
    assert "zones-synthetic" in " ".join(texts(d, "#project-layers"))
    assert texts(d, "#project-name") == ["e2e-study"], texts(d, "#project-name")
    t.wait(d, lambda: "e2e-study" in " ".join(texts(d, "#recent-projects")), "recent project listed")
    time.sleep(1)  # let the reopened view draw (not idle while an import elsewhere redraws the tray)
    t.shot(d, "13-project-reopened")
    d.find_element(By.CSS_SELECTOR, ".tabs button[data-tab=layers]").click()
    t.shot(d, "14-project-layers")

    # Export the annotations as GeoJSON; a path nobody chose is refused.
    out = os.path.join(OUT, "e2e-annotations.geojson")
    r = d.execute_async_script(
        """const done = arguments[arguments.length - 1];
        window.__TAURI__.core.invoke('annotations_export', {path: arguments[0]}).then(r => done(r), e => done({error: String(e)}));""",
        out,
    )
    assert r.get("features") == 2, r
    with open(out) as f:
        assert len(json.load(f)["features"]) == 2
    r = d.execute_async_script(
        """const done = arguments[arguments.length - 1];
        window.__TAURI__.core.invoke('project_open', {path: '/etc/passwd.atlas.json', recent: null}).then(r => done(r), e => done({error: String(e)}));""",
    )
    assert "not chosen" in r.get("error", ""), r
