#include <gtest/gtest.h>
#include "engine/source.h"
TEST(Source, Placeholder) { EXPECT_TRUE(true); }
