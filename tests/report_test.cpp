// `routeauth report`: the status of each route (tool/output/report.h defines them), and the
// three formats, by exact snapshots of the real binary's output on a fixed set of route files
// written into a temporary git repository: one migrated, one partial, one pending (under a
// dynamic `[id]` folder), one that needs manual review, one that does not parse and one that
// makes no backend call.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/config.h"
#include "output/report.h"
#include "cli_support.h"
#include "test_support.h"

namespace fs = std::filesystem;

namespace {

// ---- the route files -------------------------------------------------------------------------

// What `routeauth apply` makes of a GET that copies a query param and a POST (checked below:
// check finds nothing in it).
const std::string kMigrated = R"ts(import { NextRequest, NextResponse } from 'next/server'
import { getServerSession } from 'next-auth'
import { authOptions } from '@/app/api/auth/[...nextauth]/route'

const BRAIN_API_URL = process.env.BRAIN_API_URL || 'http://localhost:8000'

export async function GET(request: NextRequest) {
  try {
    const session = await getServerSession(authOptions)
    const searchParams = request.nextUrl.searchParams
    let url = `${BRAIN_API_URL}/api/crm/contacts/`
    const params = new URLSearchParams()
    if (searchParams.get('page')) params.set('page', searchParams.get('page')!)
    if (session?.user?.tenant_id) {
      params.set('tenant_id', session.user.tenant_id)
    }
    url += `?${params.toString()}`
    const headers: HeadersInit = { 'Content-Type': 'application/json' }
    if (session?.access_token) {
      headers['Authorization'] = `Bearer ${session.access_token}`
    } else if (request.headers.get('authorization')) {
      headers['Authorization'] = request.headers.get('authorization')!
    }

    const response = await fetch(url, {
      headers,
      cache: 'no-store',
    })
    return NextResponse.json(await response.json())
  } catch (error) {
    return NextResponse.json({ error: 'failed' }, { status: 500 })
  }
}

export async function POST(request: NextRequest) {
  try {
    const session = await getServerSession(authOptions)
    const body = await request.json()
    const response = await fetch(`${BRAIN_API_URL}/api/crm/contacts/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Authorization': session?.access_token ? `Bearer ${session.access_token}` : (request.headers.get('authorization') || '') },
      body: JSON.stringify(body),
    })
    return NextResponse.json(await response.json(), { status: response.status })
  } catch (error) {
    return NextResponse.json({ error: 'failed' }, { status: 500 })
  }
}
)ts";

// Session and bearer token done by hand; no tenant, and cacheable: partial.
const std::string kPartial = R"ts(import { NextRequest, NextResponse } from 'next/server'
import { getServerSession } from 'next-auth'
import { authOptions } from '@/app/api/auth/[...nextauth]/route'

const BRAIN_API_URL = process.env.BRAIN_API_URL || 'http://localhost:8000'

export async function GET(request: NextRequest) {
  try {
    const session = await getServerSession(authOptions)
    const headers: HeadersInit = { 'Content-Type': 'application/json' }
    if (session?.access_token) {
      headers['Authorization'] = `Bearer ${session.access_token}`
    } else if (request.headers.get('authorization')) {
      headers['Authorization'] = request.headers.get('authorization')!
    }
    const response = await fetch(`${BRAIN_API_URL}/api/crm/deals/`, { headers })
    return NextResponse.json(await response.json())
  } catch (error) {
    return NextResponse.json({ error: 'failed' }, { status: 500 })
  }
}
)ts";

// The same, with a cache the route chose: the no-store rule reports it and will not overwrite it.
const std::string kManual = R"ts(import { NextRequest, NextResponse } from 'next/server'
import { getServerSession } from 'next-auth'
import { authOptions } from '@/app/api/auth/[...nextauth]/route'

const BRAIN_API_URL = process.env.BRAIN_API_URL || 'http://localhost:8000'

export async function GET(request: NextRequest) {
  try {
    const session = await getServerSession(authOptions)
    const headers: HeadersInit = { 'Content-Type': 'application/json' }
    if (session?.access_token) {
      headers['Authorization'] = `Bearer ${session.access_token}`
    } else if (request.headers.get('authorization')) {
      headers['Authorization'] = request.headers.get('authorization')!
    }
    const response = await fetch(`${BRAIN_API_URL}/api/billing/invoices/`, { headers, cache: 'force-cache' })
    return NextResponse.json(await response.json())
  } catch (error) {
    return NextResponse.json({ error: 'failed' }, { status: 500 })
  }
}
)ts";

// Nothing done: pending.
const std::string kPending = R"ts(import { NextRequest, NextResponse } from 'next/server'

const BRAIN_API_URL = process.env.BRAIN_API_URL || 'http://localhost:8000'

export async function GET(request: NextRequest, { params }: { params: { id: string } }) {
  try {
    const response = await fetch(`${BRAIN_API_URL}/api/crm/deals/${params.id}/`, {
      headers: { 'Content-Type': 'application/json' },
    })
    return NextResponse.json(await response.json())
  } catch (error) {
    return NextResponse.json({ error: 'failed' }, { status: 500 })
  }
}

export async function DELETE(request: NextRequest, { params }: { params: { id: string } }) {
  try {
    const response = await fetch(`${BRAIN_API_URL}/api/crm/deals/${params.id}/`, {
      method: 'DELETE',
      headers: { 'Content-Type': 'application/json' },
    })
    return NextResponse.json({ ok: response.ok })
  } catch (error) {
    return NextResponse.json({ error: 'failed' }, { status: 500 })
  }
}
)ts";

const std::string kBroken = "export async function GET() {\n  const x = ;\n  return x\n}\n";

// Only a third-party webhook: no backend call, nothing to migrate.
const std::string kNoBackend = R"ts(import { NextResponse } from 'next/server'

export async function GET() {
  return NextResponse.json({ ok: true })
}

export async function POST() {
  await fetch('https://hooks.slack.com/services/T000/B000/XXXX', { method: 'POST', body: '{"text":"ping"}' })
  return NextResponse.json({ ok: true })
}
)ts";

// ---- running the binary in a temporary git repository ----------------------------------------

// The file and quoting helpers every end-to-end test uses (tests/cli_support.h).
using routeauth::testing::cli::quote;
using routeauth::testing::cli::slurp;
using routeauth::testing::cli::spit;

struct CliRun {
  int status = -1;
  std::string out, err;
};

class Repo {
 public:
  Repo() {
    std::string pattern = (fs::temp_directory_path() / "routeauth-report-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    root_ = pattern;
    if (std::system(("git -C " + quote(root_.string()) + " init -q").c_str()) != 0) {
      throw std::runtime_error("git init failed");
    }
  }
  ~Repo() {
    std::error_code ec;
    fs::permissions(root_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(root_, ec);
  }
  Repo(const Repo&) = delete;
  Repo& operator=(const Repo&) = delete;

  [[nodiscard]] const fs::path& root() const { return root_; }
  void write(const std::string& rel, const std::string& text) const { spit(root_ / rel, text); }

  // The six routes of the snapshots.
  void write_fixed_set() const {
    write("app/api/brain/crm/contacts/route.ts", kMigrated);
    write("app/api/brain/crm/deals/route.ts", kPartial);
    write("app/api/brain/crm/deals/[id]/route.ts", kPending);
    write("app/api/brain/billing/invoices/route.ts", kManual);
    write("app/api/brain/cms/pages/route.ts", kBroken);
    write("app/api/health/route.ts", kNoBackend);
  }

  [[nodiscard]] CliRun run(const std::vector<std::string>& args) const {
    std::string cmd = "cd " + quote(root_.string()) + " && " + quote(ROUTEAUTH_BINARY);
    for (const auto& a : args) cmd += " " + quote(a);
    const fs::path out = root_ / ".git" / "report-test.out";
    const fs::path err = root_ / ".git" / "report-test.err";
    cmd += " >" + quote(out.string()) + " 2>" + quote(err.string());
    const int raw = std::system(cmd.c_str());
    CliRun r;
    r.status = raw != -1 && WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
  }

 private:
  fs::path root_;
};

const std::string kMarkdown = R"md(## Routes to Update

### app/api (1/1 migrated)
- [x] `/app/api/health/route.ts` — no backend calls

### brain/billing (0/1 migrated)
- [ ] `/app/api/brain/billing/invoices/route.ts` — manual review: tenant-param, no-store

### brain/cms (0/1 migrated)
- [ ] `/app/api/brain/cms/pages/route.ts` — parse error at 2:11

### brain/crm (1/2 migrated)
- [x] `/app/api/brain/crm/contacts/route.ts`
- [ ] `/app/api/brain/crm/deals/route.ts` — partial: tenant-param, no-store

### brain/crm/deals (0/1 migrated)
- [ ] `/app/api/brain/crm/deals/[id]/route.ts` — pending

**Total: 2/6 migrated** (1 migrated, 1 partial, 1 pending, 1 manual review, 1 parse error, 1 no backend calls)
)md";

const std::string kTable =
    "ROUTE                                    HANDLERS     STATUS            MISSING RULES\n"
    "app/api/brain/billing/invoices/route.ts  GET          manual review     tenant-param, no-store\n"
    "app/api/brain/cms/pages/route.ts         -            parse error       2:11: unexpected '= ;'\n"
    "app/api/brain/crm/contacts/route.ts      GET, POST    migrated\n"
    "app/api/brain/crm/deals/[id]/route.ts    GET, DELETE  pending           session-import, session-call, "
    "tenant-param, auth-header, no-store\n"
    "app/api/brain/crm/deals/route.ts         GET          partial           tenant-param, no-store\n"
    "app/api/health/route.ts                  GET, POST    no backend calls\n"
    "\n"
    "6 routes: 1 migrated, 1 partial, 1 pending, 1 manual review, 1 parse error, 1 no backend calls\n";

// ---- the texts are what they claim to be -----------------------------------------------------

TEST(ReportFixtures, MigratedTextHasNoFindings) {
  EXPECT_EQ(routeauth::testing::findings_text(routeauth::testing::check("route.ts", kMigrated)), "");
  // ... and it is what apply makes of the pending shape: apply changes nothing in it.
  EXPECT_EQ(routeauth::testing::fix("route.ts", kMigrated).result, kMigrated);
}

// ---- snapshots of the real binary --------------------------------------------------------------

TEST(Report, MarkdownSnapshot) {
  Repo repo;
  repo.write_fixed_set();
  const CliRun r = repo.run({"report", "--format", "markdown", "."});
  EXPECT_EQ(r.status, 0) << r.err;  // a parse error is part of the report, not a failure of it
  EXPECT_EQ(r.out, kMarkdown);
  EXPECT_NE(r.err.find("routeauth: 6 files seen"), std::string::npos) << r.err;
}

TEST(Report, TableSnapshot) {
  Repo repo;
  repo.write_fixed_set();
  const CliRun r = repo.run({"report", "."});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, kTable);
  EXPECT_EQ(repo.run({"report", "--format", "table", "-q", "."}).out, kTable);
}

TEST(Report, JsonStructure) {
  Repo repo;
  repo.write_fixed_set();
  const CliRun r = repo.run({"report", "--format", "json", "-q", "."});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["version"], ROUTEAUTH_VERSION);
  ASSERT_EQ(doc["routes"].size(), 6u);

  std::vector<std::string> paths, statuses;
  for (const auto& route : doc["routes"]) {
    paths.push_back(route["path"]);
    statuses.push_back(route["status"]);
    EXPECT_EQ(route["route"], "/" + route["path"].get<std::string>());
  }
  EXPECT_EQ(paths, (std::vector<std::string>{
                       "app/api/brain/billing/invoices/route.ts", "app/api/brain/cms/pages/route.ts",
                       "app/api/brain/crm/contacts/route.ts", "app/api/brain/crm/deals/[id]/route.ts",
                       "app/api/brain/crm/deals/route.ts", "app/api/health/route.ts"}));
  EXPECT_EQ(statuses, (std::vector<std::string>{"manual_review", "parse_error", "migrated", "pending", "partial",
                                                "no_backend_calls"}));

  const auto& pending = doc["routes"][3];
  EXPECT_EQ(pending["group"], "brain/crm/deals");
  EXPECT_EQ(pending["missing"], nlohmann::json::parse(
                                    R"(["session-import", "session-call", "tenant-param", "auth-header", "no-store"])"));
  EXPECT_EQ(pending["handlers"], nlohmann::json::parse(R"([
      {"method": "GET", "line": 5, "calls_backend": true, "reads_session": false},
      {"method": "DELETE", "line": 16, "calls_backend": true, "reads_session": false}])"));

  const auto& broken = doc["routes"][1];
  EXPECT_EQ(broken["error"], "2:11: unexpected '= ;'");
  EXPECT_EQ(broken["missing"], nlohmann::json::parse(R"(["parse-error"])"));
  EXPECT_TRUE(broken["handlers"].empty());

  const auto& health = doc["routes"][5];
  EXPECT_EQ(health["group"], "app/api");
  EXPECT_EQ(health["handlers"][1]["calls_backend"], false);

  EXPECT_EQ(doc["totals"], nlohmann::json::parse(R"({"routes": 6, "done": 2, "migrated": 1, "partial": 1,
      "pending": 1, "manual_review": 1, "parse_error": 1, "no_backend_calls": 1, "suppressed": 0})"));
}

TEST(Report, SameBytesEveryRun) {
  Repo repo;
  repo.write_fixed_set();
  for (const char* format : {"table", "markdown", "json"}) {
    EXPECT_EQ(repo.run({"report", "--format", format, "."}).out, repo.run({"report", "--format", format, "."}).out)
        << format;
  }
}

TEST(Report, ChangesNothing) {
  Repo repo;
  repo.write_fixed_set();
  (void)repo.run({"report", "."});
  EXPECT_EQ(slurp(repo.root() / "app/api/brain/crm/deals/[id]/route.ts"), kPending);
  EXPECT_EQ(slurp(repo.root() / "app/api/brain/crm/deals/route.ts"), kPartial);
}

TEST(Report, ExitStatuses) {
  Repo repo;
  repo.write_fixed_set();
  EXPECT_EQ(repo.run({"report"}).status, 2);                                  // no path
  EXPECT_EQ(repo.run({"report", "--format", "csv", "."}).status, 2);          // unknown format
  EXPECT_EQ(repo.run({"report", "app/api/does-not-exist"}).status, 2);        // a path that does not exist
  // A route file that cannot be read (a dangling symlink where the file should be): the report
  // of the others still comes, but the run exits 3.
  fs::create_directories(repo.root() / "app/api/brain/dangling");
  fs::create_symlink("nowhere.ts", repo.root() / "app/api/brain/dangling/route.ts");
  const CliRun unreadable = repo.run({"report", "--format", "markdown", "."});
  EXPECT_EQ(unreadable.status, 3) << unreadable.err;
  EXPECT_EQ(unreadable.out, kMarkdown);
  EXPECT_NE(unreadable.err.find("dangling/route.ts"), std::string::npos) << unreadable.err;
}

// ---- the statuses, in-process ------------------------------------------------------------------

routeauth::output::RouteEntry classify(const std::string& text, const routeauth::engine::Config& config = {}) {
  return routeauth::output::classify(routeauth::testing::check("route.ts", text, config), "app/api/x/route.ts");
}

TEST(ReportStatus, EachOfTheFixedSet) {
  using routeauth::output::RouteStatus;
  EXPECT_EQ(classify(kMigrated).status, RouteStatus::migrated);
  EXPECT_EQ(classify(kPartial).status, RouteStatus::partial);
  EXPECT_EQ(classify(kPending).status, RouteStatus::pending);
  EXPECT_EQ(classify(kManual).status, RouteStatus::manual_review);
  EXPECT_EQ(classify(kBroken).status, RouteStatus::parse_error);
  EXPECT_EQ(classify(kNoBackend).status, RouteStatus::no_backend_calls);
}

// One handler migrated, the other not: partial, and the missing rules are the other's.
TEST(ReportStatus, OneHandlerOfTwoIsPartial) {
  const size_t post = kMigrated.find("export async function POST");
  ASSERT_NE(post, std::string::npos);
  const std::string text = kMigrated.substr(0, post) + R"ts(export async function POST(request: NextRequest) {
  const response = await fetch(`${BRAIN_API_URL}/api/crm/contacts/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(await request.json()),
  })
  return NextResponse.json(await response.json(), { status: response.status })
}
)ts";
  const auto entry = classify(text);
  EXPECT_EQ(entry.status, routeauth::output::RouteStatus::partial);
  EXPECT_EQ(entry.missing, (std::vector<std::string>{"session-call", "auth-header"}));
  ASSERT_EQ(entry.handlers.size(), 2u);
  EXPECT_TRUE(entry.handlers[0].reads_session);
  EXPECT_FALSE(entry.handlers[1].reads_session);
}

// `cache: 'no-store'` (or the imports) can be there before the migration: still pending, since
// no handler reads the session.
TEST(ReportStatus, NoStoreAlonePrecedingTheMigrationIsStillPending) {
  std::string text = kPending;
  const std::string headers = "      headers: { 'Content-Type': 'application/json' },\n    })\n    return NextResponse.json(await";
  const size_t at = text.find(headers);
  ASSERT_NE(at, std::string::npos);
  text.insert(at + std::string("      headers: { 'Content-Type': 'application/json' },\n").size(),
              "      cache: 'no-store',\n");
  const auto entry = classify(text);
  EXPECT_EQ(entry.status, routeauth::output::RouteStatus::pending);
  EXPECT_EQ(entry.missing, (std::vector<std::string>{"session-import", "session-call", "tenant-param", "auth-header"}));
}

// With session-call off nothing tells a missing session: such routes are never pending (here the
// other rules cannot fix a handler without a session, so a person is asked).
TEST(ReportStatus, SessionCallDisabledMeansNeverPending) {
  routeauth::engine::Config config;
  config.disabled_rules.insert("session-call");
  EXPECT_NE(classify(kPending, config).status, routeauth::output::RouteStatus::pending);
}

TEST(ReportGroups, BelowAppApiWithoutTheRouteFolder) {
  using routeauth::output::group_of;
  EXPECT_EQ(group_of("app/api/brain/django-crm/contacts/route.ts"), "brain/django-crm");
  EXPECT_EQ(group_of("examples/brain-app/app/api/brain/django-crm/contacts/route.ts"), "brain/django-crm");
  EXPECT_EQ(group_of("src/app/api/brain/deals/[id]/route.ts"), "brain/deals");
  EXPECT_EQ(group_of("app/api/health/route.ts"), "app/api");
  EXPECT_EQ(group_of("app/dashboard/data/route.ts"), "dashboard");
}

// Two apps in one repository: the headings keep each app's root.
TEST(ReportGroups, TwoAppsStayApart) {
  using namespace routeauth::output;
  RouteEntry a, b;
  a.path = "apps/web/app/api/brain/x/route.ts";
  b.path = "apps/admin/app/api/brain/x/route.ts";
  a.status = b.status = RouteStatus::pending;
  const std::string md = render_markdown({b, a});
  EXPECT_NE(md.find("### apps/admin/app/api/brain (0/1 migrated)\n"), std::string::npos) << md;
  EXPECT_NE(md.find("### apps/web/app/api/brain (0/1 migrated)\n"), std::string::npos) << md;
}

}  // namespace
