# ./pipelab grade's inputs and output folder, checked before anything is
# graded or written (sourced by tools/cli/grade.sh; uses its die).

# PATH is PARENT or inside it (both absolute, no trailing slash).
inside() { case "$1/" in "$2"/*) return 0 ;; esac; return 1; }

# The students: each folder, and each file named *.so (or *.so.N), of the
# class folder.  Anything else (a README, a zip, notes) is not a submission:
# its name goes to ignored.  Sets names, entries, ignored.
list_submissions() { # CLASS
  names=() entries=() ignored=()
  local entry base name
  local -A seen=()
  for entry in "$1"/*; do
    [ -e "$entry" ] || [ -L "$entry" ] || continue
    base=${entry##*/}
    if [ -d "$entry" ]; then
      name=$base
    else
      case "$base" in *.so | *.so.[0-9]*) name=${base%%.so*} ;; *) ignored+=("$base"); continue ;; esac
    fi
    name=$(printf '%s' "$name" | tr -c 'A-Za-z0-9._-' '_')
    [ -n "$name" ] || name=_
    [ -z "${seen[$name]:-}" ] || name=$name-${#names[@]}
    seen[$name]=1
    names+=("$name") entries+=("$entry")
  done
}

# The real path of a submission's library, or why there is none (on stdout,
# rc 1).  A folder is searched 3 levels deep (build/lib/libpipe.so); a link
# in it is followed only to a file inside the class folder or the student's
# own (a link to /etc/shadow or to a classmate's copy elsewhere is not their
# work).  The class's own entries are the teacher's: a link there is followed.
find_library() { # ENTRY CLASS
  local entry=$1 f r top
  if [ ! -d "$entry" ]; then
    [ -f "$entry" ] || { echo "the submission is missing (a dangling link or not a file)"; return 1; }
    realpath -- "$entry"
    return
  fi
  top=$(realpath -- "$entry")
  local found=() shown=() outside=()
  local -A got=()
  while IFS= read -r -d '' f; do
    r=$(realpath -e -- "$f" 2>/dev/null) && [ -f "$r" ] || continue
    if ! inside "$r" "$top" && ! inside "$r" "$2"; then outside+=("${f#"$entry"/}"); continue; fi
    [ -z "${got[$r]:-}" ] || continue # libpipe.so -> libpipe.so.1: one library
    got[$r]=1
    found+=("$r") shown+=("${f#"$entry"/}")
  done < <(find -H "$entry" -maxdepth 3 \( -name '*.so' -o -name '*.so.[0-9]*' \) \( -type f -o -type l \) -print0 2>/dev/null | sort -z)
  case ${#found[@]} in
    1) printf '%s\n' "${found[0]}" ;;
    0)
      if [ ${#outside[@]} -gt 0 ]; then
        echo "its library ${outside[0]} is a link to outside the class folder (not followed)"
      else
        echo "no shared library (*.so) in the submitted folder (searched 3 levels deep)"
      fi
      return 1 ;;
    *) echo "several shared libraries in the folder: ${shown[*]}"; return 1 ;;
  esac
}

# What grade itself writes in an output folder; the marker says grade wrote it.
GRADE_MARKER=.pipelab-grade
grade_folder() { # DIR: empty, or only what an earlier grade wrote there
  local e
  for e in "$1"/* "$1"/.[!.]* "$1"/..?*; do
    [ -e "$e" ] || [ -L "$e" ] || continue
    [ -f "$1/$GRADE_MARKER" ] || return 1
    case ${e##*/} in "$GRADE_MARKER" | cases.txt | class.html | class.csv | weights.txt | students) ;; *) return 1 ;; esac
  done
  return 0
}

# --out and where an interrupted run's report goes: never the class folder,
# inside it or around it (a re-run would grade the reports as students, or
# replace the submissions), and never a folder holding files grade did not
# write (--out /tmp, --out ~): those are refused, not cleared.
check_out() { # OUT CLASS (absolute)
  local o r
  for o in "$1" "$1-interrupted"; do
    r=$(realpath -m -- "$o")
    if inside "$r" "$2" || inside "$2" "$r"; then
      die "--out '$1' overlaps the class folder '$2' (the reports would mix with the submissions): choose a folder outside it"
    fi
    [ -e "$o" ] || [ -L "$o" ] || continue
    [ -d "$o" ] && [ ! -L "$o" ] || die "--out: '$o' exists and is not a folder"
    grade_folder "$o" ||
      die "'$o' holds files ./pipelab grade did not write: give --out a new or empty folder, or one an earlier grade wrote"
  done
}

# The weights, checked against the suite's rules before anything is graded:
# a line that parses wrong or matches no rule is named, one line, exit 2.
check_weights() { # FILE CASES_TEXT
  local why
  why=$("$report" weights "$1" --cases <(printf '%s\n' "$2") 2>&1 >/dev/null) || die "${why:-the weights file '$1' cannot be checked}"
}

# Replaces DEST (absent, empty or grade's own) by NEW: the old report stays
# whole until the new one is complete, then goes.
swap_in() { # NEW DEST
  local old=''
  if [ -e "$2" ]; then
    grade_folder "$2" || return 1
    if ! rmdir -- "$2" 2>/dev/null; then
      old=$(mktemp -d "$2.old-XXXXXX") && rmdir -- "$old" && mv -T -- "$2" "$old" || return 1
    fi
  fi
  if ! mv -T -- "$1" "$2"; then
    [ -z "$old" ] || mv -T -- "$old" "$2"
    return 1
  fi
  [ -z "$old" ] || rm -rf -- "$old"
}
