// Preloaded into a measured command: prints its peak RSS on stdout at exit.
process.on('exit', () => {
  if (process.env.SMECONF_RSS_REPORT) process.stdout.write(`maxrss_kib=${process.resourceUsage().maxRSS}\n`);
});
