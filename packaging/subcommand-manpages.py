#!/usr/bin/env python3
"""Makes ArgumentParser's multi-page manuals whatis-clean, git-style: lifeboat.zone.check.1 becomes
lifeboat-zone-check.1 whose NAME is the one word lexgrog and apropos need (`lifeboat-zone-check`),
the synopsis still reading `lifeboat zone check`; SEE ALSO references follow; the help page goes.
  packaging/subcommand-manpages.py DIRECTORY"""
import os
import re
import sys

directory = sys.argv[1]
for name in sorted(os.listdir(directory)):
    match = re.fullmatch(r"(lifeboat(?:\.[a-z-]+)*)\.([18])", name)
    if not match:
        continue
    path = os.path.join(directory, name)
    dotted, section = match.groups()
    if dotted.endswith(".help"):
        os.remove(path)
        continue
    words = dotted.replace(".", " ")
    single = dotted.replace(".", "-")
    lines = open(path, encoding="utf-8").read().split("\n")
    out, in_name = [], False
    for index, line in enumerate(lines):
        if line.startswith(".Dt "):
            line = f".Dt {single.upper()} {section}"
        elif line.startswith(".Sh "):
            in_name = line == ".Sh NAME"
        elif line.startswith(".Nm") and in_name:
            # One word per name (an alias too: `lifeboat demote` → lifeboat-demote), comma-separated.
            parsed = re.match(r'^\.Nm\s+(?:"([^"]*)"|(\S+))', line)
            given = (parsed.group(1) or parsed.group(2)) if parsed else words
            if " " not in given and " " in words:  # an alias: `demote` of `lifeboat failback`
                given = words.rsplit(" ", 1)[0] + " " + given
            line = ".Nm " + given.replace(" ", "-")
            if index + 1 < len(lines) and lines[index + 1].startswith(".Nm"):
                line += " ,"
        elif line == ".Nm" and " " in words:
            line = f'.Nm "{words}"'
        elif line.startswith(".Xr lifeboat."):
            line = re.sub(r"^\.Xr (lifeboat(?:\.[a-z-]+)+)", lambda m: ".Xr " + m.group(1).replace(".", "-"), line)
            if ".Xr lifeboat-help " in line:
                continue
        out.append(line)
    os.remove(path)
    with open(os.path.join(directory, f"{single}.{section}"), "w", encoding="utf-8") as file:
        file.write("\n".join(out))
