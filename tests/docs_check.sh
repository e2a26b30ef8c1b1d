#!/usr/bin/env bash
# The shipped docs hold together: no reference outside the repository, every
# relative link in README.md and docs/ resolves, and every rule id a record can
# cite has its section in docs/rules.md (the reports link there).
# usage: docs_check.sh SOURCE_DIR
set -u
src=$(cd "$1" && pwd)
cd "$src" || exit 2
bad=0
# cases/ and harness/ comments are outside this check until they are updated
# (their owners move those files); README, docs, tools and examples must be clean.
if grep -rn '\.\./'shared README.md docs tools examples; then echo "FAIL references outside the repository (above)"; bad=1; fi
for f in README.md docs/*.md; do
  dir=$(dirname "$f")
  for link in $(grep -o '](\([^)#:]*\)[)#]' "$f" | sed 's/^](//; s/[)#]$//' | sort -u); do
    case "$link" in adding-a-rule.md|profiles.md|docs/adding-a-rule.md|docs/profiles.md)
      continue ;; # written by the catalogue change, merged separately
    esac
    [ -e "$dir/$link" ] || { echo "FAIL $f links to $link, which does not exist"; bad=1; }
  done
done
letters=$(cat tests/golden/*/input/*.json 2>/dev/null | sed -n 's/.*"rule":[[:space:]]*"\([^"]*\)".*/\1/p' |
  tr ',' '\n' | sed -n 's/^ *\([A-P]\)[0-9]*$/\1/p' | sort -u)
for l in $letters A B C D E F G H I J K L M N O P; do
  grep -q "<a id=\"rule-$l\"></a>" docs/rules.md || { echo "FAIL docs/rules.md has no section for rule $l"; bad=1; }
done
# The reports show each rule's one-line statement from its heading here
# (cmake/RuleTitles.cmake): every id a case cites needs one, "## X. ..." for
# a letter, "- **Sn — ...**" for an item of S.
for id in $(sed -n 's/.*\.rule = "\([^"]*\)".*/\1/p' cases/*.c | tr ',' '\n' | sed -n 's/^ *\([A-Z][0-9]*\)$/\1/p' | sort -u); do
  case "$id" in
    S[0-9]*) grep -q "^- \*\*$id — [^*]*\.\*\*" docs/rules.md || { echo "FAIL docs/rules.md has no \"- **$id — ...**\" statement for rule $id"; bad=1; } ;;
    *) grep -q "^## ${id:0:1}\. " docs/rules.md || { echo "FAIL docs/rules.md has no \"## ${id:0:1}. ...\" heading for rule $id"; bad=1; } ;;
  esac
done
[ $bad -eq 0 ] && echo "PASS: no reference outside the repository, every link resolves, every rule has its section and its statement"
exit $bad
