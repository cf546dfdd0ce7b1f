# Stands in for maven:3.9-eclipse-temurin-17 (and eclipse-temurin:17-jre).
FROM kitexdubbo-local/bookworm
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        openjdk-17-jdk-headless maven && rm -rf /var/lib/apt/lists/*
