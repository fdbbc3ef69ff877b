# crypto/ is the only module that includes mbedTLS headers.
