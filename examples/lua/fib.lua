-- fib.lua — a small workout for the Lua example: closures, tables,
-- strings, math and coroutines; its output is compared with native Lua.
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print("fib(25)", fib(25))

local words = {}
for w in ("the quick brown fox jumps over the lazy dog"):gmatch("%a+") do
	words[#words + 1] = w:upper()
end
table.sort(words)
print(table.concat(words, ","))

local co = coroutine.wrap(function()
	for i = 1, 3 do coroutine.yield(i * i) end
end)
print(co(), co(), co())
print(string.format("%.6f %d %s", math.sqrt(2), math.maxinteger, tostring(1 / 0)))
local t = {}
for i = 1, 200000 do t[i] = i % 7 end
local sum = 0
for _, v in ipairs(t) do sum = sum + v end
print("sum", sum, collectgarbage("count") > 0)
