# tools/pprof: `heaptag report --format pprof` (gzip from zlib).
TOOLS_LDLIBS += -lz
