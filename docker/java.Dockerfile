# The Dubbo-Java side of java-interop/: the provider, the consumer and the
# ZooKeeper server its dependencies carry, all run from one image.
# MAVEN_IMAGE and JRE_IMAGE are public images by default; the tests pass
# local equivalents (docker/local/, scripts/compose-test.sh).
ARG MAVEN_IMAGE=maven:3.9-eclipse-temurin-17
ARG JRE_IMAGE=eclipse-temurin:17-jre
FROM ${MAVEN_IMAGE} AS build
WORKDIR /build
COPY java-interop/pom.xml .
# Dependencies in a layer of their own, downloaded again only when the pom changes.
RUN mvn -q -B dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib
COPY java-interop/src src
RUN mvn -q -B package

FROM ${JRE_IMAGE}
COPY --from=build /build/target/lib /app/lib
COPY --from=build /build/target/classes /app/classes
WORKDIR /app
# The java launcher expands the wildcard, in CLASSPATH as in -cp.
ENV CLASSPATH=/app/classes:/app/lib/*
CMD ["java", "org.kitexdubbo.interop.Provider", "-host", "0.0.0.0"]
