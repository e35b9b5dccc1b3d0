# tools/html/: the run page (`heaptag report --format html`) and the SVG
# drawing every HTML output shares.  page_assets.c pulls page.js and
# page.css in with .incbin, which the compiler's -MMD does not see.
$(BUILD)/obj/tools/html/page_assets.o: tools/html/page.js tools/html/page.css
