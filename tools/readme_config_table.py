"""Rewrites the configuration table in README.md from app/.../config/Key.java (the single source of keys).

Usage: python3 tools/readme_config_table.py   (ReadmeTest fails when the README and Key.java disagree)
"""
import re
from pathlib import Path

root = Path(__file__).resolve().parent.parent
src = (root / "app/src/main/java/dev/argus/app/config/Key.java").read_text()
rows = []
for m in re.finditer(r'\n    [A-Z_0-9]+\("([^"]+)", "([^"]*)",\s*((?:"(?:[^"\\]|\\.)*"\s*\+?\s*|String\.join\([^)]*\)\s*\+?\s*)+)\)', src):
    key, default, desc = m.groups()
    text = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', desc)).replace('\\"', '"')
    if key == "argus.backend":
        backends = (root / "app/src/main/java/dev/argus/app/config/Backend.java").read_text()
        ids = re.findall(r'^    [A-Z_]+\("([^"]+)"\)[,;]', backends, re.M)  # the enum's constants, in order
        text = "Inference backend. Valid: " + ", ".join(ids) + "."
    rows.append(f"| `{key}` | `{default}` | {text} |" if default else f"| `{key}` | | {text} |")
table = "| key | default | meaning |\n| --- | --- | --- |\n" + "\n".join(rows)
readme = (root / "README.md").read_text()
new = re.sub(r"\| key \| default \| meaning \|\n\| --- \| --- \| --- \|\n(?:\|.*\|\n?)+", table + "\n", readme, count=1)
(root / "README.md").write_text(new)
print(f"{len(rows)} keys")
