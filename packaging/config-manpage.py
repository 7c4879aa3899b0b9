#!/usr/bin/env python3
"""lifeboat.toml(5) from the README's "Configuration reference": one source for both. Headings
become .SS, table rows .TP entries (key, default, meaning), paragraphs text; `code` is bold.
  packaging/config-manpage.py README.md VERSION DATE > lifeboat.toml.5"""
import re
import sys

readme, version, date = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(readme, encoding="utf-8").read()
section = text.split("\n## Configuration reference\n", 1)[1].split("\n## ", 1)[0]


def roff(line):
    line = line.replace("\\", "\\e")
    line = re.sub(r"\*\*(.+?)\*\*", r"\\fB\1\\fR", line)
    line = re.sub(r"`([^`]+)`", r"\\fB\1\\fR", line)
    line = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", line)
    if line.startswith((".", "'")):
        line = "\\&" + line
    return line


out = [
    f'.TH LIFEBOAT.TOML 5 "{date}" "lifeboat {version}" "File Formats Manual"',
    ".SH NAME",
    "lifeboat.toml \\- configuration of lifeboatd and lifeboat, the DNS failover controller",
    ".SH SYNOPSIS",
    "/etc/lifeboat/lifeboat.toml",
    ".SH DESCRIPTION",
]
paragraph = []


def flush():
    if paragraph:
        out.append(".PP")
        out.extend(roff(p) for p in paragraph)
        paragraph.clear()


in_code = False
for raw in section.strip("\n").split("\n"):
    line = raw.rstrip()
    if line.startswith("```"):
        flush()
        out.append(".EE" if in_code else ".EX")
        in_code = not in_code
        continue
    if in_code:
        out.append(roff(line) if line else ".sp")
        continue
    if line.startswith("### "):
        flush()
        out.append(".SS " + roff(line[4:]))
    elif line.startswith("|"):
        flush()
        cells = [c.strip() for c in line.strip("|").split("|")]
        if set("".join(cells)) <= set("-: ") or cells[0] in ("key", "part"):
            continue
        key, rest = cells[0], cells[1:]
        out.append(".TP")
        out.append(roff(key))
        if len(rest) == 2:
            out.append(roff(f"(default: {rest[0]}) {rest[1]}"))
        else:
            out.append(roff(" ".join(rest)))
    elif not line.strip():
        flush()
    else:
        paragraph.append(line.strip())
flush()
out += [".SH FILES", "/etc/lifeboat/lifeboat.toml.example \\- a production-shaped example", ".SH SEE ALSO",
        "lifeboat(1), lifeboatd(8), /usr/share/doc/lifeboat/README.md.gz"]
print("\n".join(out))
