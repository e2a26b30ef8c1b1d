# Guest hook of tests/vm_hostile.sh (runs in the VM before the cases, as
# /hook.sh): records crafted to escape or corrupt the host's results dir.
forge() { # marker-id case-field
  echo "@@PIPELAB-RECORD $1"
  printf '{\n\t"schema":\t1,\n\t"case":\t"%s",\n\t"verdict":\t"PASS"\n}\n' "$2"
  echo "@@PIPELAB-END"
}
forge "../../outside/pwned" "../../outside/pwned"       # path traversal
forge "/tmp/pipelab-vm-hostile-abs" "x"                 # absolute path
forge "no/such-case@pipe" "no/such-case@pipe"           # unknown case id
forge "read/open/data@pipe" "read/open/no-data@pipe"    # a record that names another case
echo "@@PIPELAB-BOGUS marker"
# Oversized: a known id with its own case field, over the 1 MiB bound.
echo "@@PIPELAB-RECORD read/open/no-data@pipe"
printf '{\n\t"case":\t"read/open/no-data@pipe",\n\t"verdict":\t"PASS",\n\t"pad":\t[\n'
i=0
while [ $i -lt 1200 ]; do
  echo '"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",'
  i=$((i + 1))
done
printf '"end"]\n}\n'
echo "@@PIPELAB-END"
echo "@@PIPELAB-END"                                    # a stray end marker
