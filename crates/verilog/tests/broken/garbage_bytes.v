// expect 2:8: expected a module name, found `#`
module #!%$
