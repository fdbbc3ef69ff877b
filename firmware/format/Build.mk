# format/: every file format, its reader and its writer side by side.
obj-y += firmware/format/json_point.o
obj-y += firmware/format/election.o
obj-y += firmware/format/bureau.o
obj-y += firmware/format/platform_key.o
obj-y += firmware/format/record.o
obj-y += firmware/format/share_obj.o
obj-y += firmware/format/bin_header.o
obj-y += firmware/format/urn.o
obj-y += firmware/format/emargement.o
obj-y += firmware/format/media_manifest.o
obj-y += firmware/format/decrypted.o
obj-y += firmware/format/results.o
obj-y += firmware/format/archive_manifest.o
obj-y += firmware/format/signatures.o
obj-y += firmware/format/journal_entry.o
obj-y += firmware/format/shuffle_file.o
