# Guest hook of tests/vm_timeout.sh (runs in the VM before the cases, as
# /hook.sh): a guest that hangs, so the VM's timeout stops it with every
# case unfinished.
sleep 100000
