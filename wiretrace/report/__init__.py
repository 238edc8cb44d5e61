"""Renderers: results into text for people (:mod:`.text`, :mod:`.collation`, :mod:`.families`),
JSON for scripts (:mod:`.json`) and self-contained HTML pages (:mod:`.html`). Nothing below this
package imports it."""
