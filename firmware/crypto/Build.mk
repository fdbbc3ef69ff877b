# crypto/ is the only module that includes mbedTLS headers.
obj-y += firmware/crypto/secmem.o
obj-y += firmware/crypto/crypto_err.o
obj-y += firmware/crypto/hash.o
obj-y += firmware/crypto/hash_file.o
obj-y += firmware/crypto/rng.o
obj-y += firmware/crypto/group.o
obj-y += firmware/crypto/scalar.o
obj-y += firmware/crypto/aead.o
obj-y += firmware/crypto/ballot.o
obj-y += firmware/crypto/dleq.o
obj-y += firmware/crypto/sig.o
obj-y += firmware/crypto/shamir.o
obj-y += firmware/crypto/selftest.o
obj-y += firmware/crypto/group_ext.o
obj-y += firmware/crypto/h2c.o
obj-y += firmware/crypto/msm.o
