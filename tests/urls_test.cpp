// What a URL's text says about where a request goes (engine/urls.h).
#include <gtest/gtest.h>

#include "engine/urls.h"

using namespace routeauth::engine;

TEST(Urls, LocalServersAreTheProjectsOwn) {
  EXPECT_EQ(local_server_origin("http://127.0.0.1:8000/api/x"), "http://127.0.0.1:8000");
  EXPECT_EQ(local_server_origin("HTTP://LocalHost:5001"), "http://localhost:5001");
  EXPECT_EQ(local_server_origin("http://localhost/api"), "http://localhost");
  EXPECT_EQ(local_server_origin("http://backend:5000/x"), "http://backend:5000");
  EXPECT_EQ(local_server_origin("http://host.docker.internal:3001/api/"), "http://host.docker.internal:3001");
  EXPECT_EQ(local_server_origin("http://192.168.1.20:8080?x=1"), "http://192.168.1.20:8080");
  EXPECT_EQ(local_server_origin("http://10.0.0.5/x"), "http://10.0.0.5");
  EXPECT_EQ(local_server_origin("http://172.20.0.3:9000/"), "http://172.20.0.3:9000");
  EXPECT_EQ(local_server_origin("http://[::1]:8000/x"), "http://[::1]:8000");
}

TEST(Urls, PublicHostsAndIncompleteOriginsAreNot) {
  EXPECT_EQ(local_server_origin("https://api.stripe.com/v1"), std::nullopt);
  EXPECT_EQ(local_server_origin("http://172.32.0.1/x"), std::nullopt);     // not private
  EXPECT_EQ(local_server_origin("http://8.8.8.8/x"), std::nullopt);
  EXPECT_EQ(local_server_origin("http://localhost:"), std::nullopt);       // `${port}` follows
  EXPECT_EQ(local_server_origin("/api/x"), std::nullopt);
  EXPECT_EQ(local_server_origin("http://user@localhost:8000/"), std::nullopt);
  EXPECT_EQ(local_server_origin("http://localhost:80a/"), std::nullopt);
}

TEST(Urls, OriginPorts) {
  EXPECT_EQ(origin_port("http://localhost:3000"), 3000);
  EXPECT_EQ(origin_port("http://localhost"), 80);
  EXPECT_EQ(origin_port("https://localhost"), 443);
  EXPECT_EQ(origin_port("http://[::1]:8000"), 8000);
  EXPECT_EQ(origin_port("http://[::1]"), 80);
}

TEST(Urls, PrefixesStopAtAPathBoundary) {
  EXPECT_TRUE(url_has_prefix("HTTPS://API.example.com/orders", "https://api.example.com"));
  EXPECT_TRUE(url_has_prefix("https://api.example.com/v1/x", "https://api.example.com/v1"));
  EXPECT_FALSE(url_has_prefix("https://api.example.com/v10", "https://api.example.com/v1"));
  EXPECT_FALSE(url_has_prefix("https://api.example.com.evil.test/", "https://api.example.com"));
}
