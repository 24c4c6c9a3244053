// expect 3:8: expected an escaped identifier after `\`
module m;
  wire \
