# The root filesystem for machines that can pull a base image: the same packages as
# the offline path (mmdebstrap from the machine's apt sources), built as
# codeaug-rootfs-<name>. PACKAGES is the space-separated, validated packages.txt list.
ARG FROM_IMAGE=debian:bookworm-slim
FROM ${FROM_IMAGE}
ARG PACKAGES
# Slim images drop /usr/share/man; the JDK's maintainer scripts need man1 to exist.
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update \
 && apt-get install -y --no-install-recommends $PACKAGES \
 && rm -rf /var/lib/apt/lists/*
