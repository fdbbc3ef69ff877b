# count/: ballot classification, tally, exact seat allocation (docs/RULES.md).
obj-y += firmware/count/frac.o
obj-y += firmware/count/classify.o
obj-y += firmware/count/tally.o
obj-y += firmware/count/rank.o
obj-y += firmware/count/seats.o
obj-y += firmware/count/gender.o
obj-y += firmware/count/audience.o
obj-y += firmware/count/count.o
obj-y += firmware/count/results_doc.o
