# Host tools: each tools/<name>.c is one program, $(O)/sceau-<name>.
tools-y += $(patsubst tools/%.c,sceau-%,$(wildcard tools/*.c))
