-- files.lua — Lua's io and os libraries on pith's file tree: write, append,
-- read back by lines, seek, rename, remove; output compared with native Lua.
local name = "lua-files-test.txt"
local f = assert(io.open(name, "w"))
for i = 1, 1000 do f:write(string.format("line %04d\n", i)) end
f:close()
f = assert(io.open(name, "a"))
f:write("the end\n")
f:close()
local n, last = 0, nil
for line in io.lines(name) do n = n + 1; last = line end
print("lines", n, "last", last)
f = assert(io.open(name, "r"))
print("size", f:seek("end"))
f:seek("set", 10)
print("at 10:", f:read("l"))
f:close()
assert(os.rename(name, name .. ".old"))
print("old name gone", io.open(name, "r") == nil)
print("remove", os.remove(name .. ".old"))
print("remove again", select(2, os.remove(name .. ".old")))
