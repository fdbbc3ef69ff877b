# verify/: the verifier of sealed archives (sceau-verify, later `sceau verify`).
obj-y += firmware/verify/verify.o
obj-y += firmware/verify/verify_report.o
obj-y += firmware/verify/verify_text.o
obj-y += firmware/verify/verify_archive_dir.o
obj-y += firmware/verify/verify_record.o
obj-y += firmware/verify/verify_media.o
obj-y += firmware/verify/verify_pass.o
obj-y += firmware/verify/verify_shuffle.o
obj-y += firmware/verify/verify_decrypted.o
obj-y += firmware/verify/verify_proofs.o
obj-y += firmware/verify/verify_sample.o
obj-y += firmware/verify/verify_dupset.o
obj-y += firmware/verify/verify_count.o
obj-y += firmware/verify/verify_jdiff.o
obj-y += firmware/verify/verify_sigs.o
obj-y += firmware/verify/verify_files.o
obj-y += firmware/verify/verify_journal.o
obj-y += firmware/verify/verify_db.o
obj-y += firmware/verify/verify_db_pass.o
obj-y += firmware/verify/verify_db_v2.o
obj-y += firmware/verify/verify_db_journal.o
obj-y += firmware/verify/verify_qr.o
pkgs-y += libarchive
# --scan: photos and scans of PVs (PNG through cairo, JPEG, Netpbm), and the
# archive's PV PDFs rendered by poppler, QR codes decoded by zbar; never in
# a box (firmware/verify/Kconfig).
obj-$(CONFIG_VERIFY_SCAN) += firmware/verify/verify_scan.o
obj-$(CONFIG_VERIFY_SCAN) += firmware/verify/verify_pnm.o
obj-$(CONFIG_VERIFY_SCAN) += firmware/verify/verify_pdf.o
obj-$(CONFIG_VERIFY_SCAN) += firmware/verify/verify_pv_pdf.o
pkgs-$(CONFIG_VERIFY_SCAN) += zbar libjpeg cairo poppler-glib
