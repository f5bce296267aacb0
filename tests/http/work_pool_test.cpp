// The database threads of the server: work runs off the caller's thread, Stop finishes what is
// queued, and work that comes after Stop still runs (shutdown answers every request).
#include "work_pool.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

using connecthub::server::WorkPool;

TEST_CASE("posted work runs on the pool's threads, several at once") {
  WorkPool pool(4);
  // Four pieces that each wait (bounded) for all four to have started: only four threads at once
  // get there.
  std::atomic<int> started{0};
  std::vector<std::future<std::pair<std::thread::id, bool>>> ran;
  for (int i = 0; i < 4; ++i) {
    auto promise = std::make_shared<std::promise<std::pair<std::thread::id, bool>>>();
    ran.push_back(promise->get_future());
    pool.Post([&started, promise] {
      started.fetch_add(1);
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (started.load() < 4 && std::chrono::steady_clock::now() < give_up) {
        std::this_thread::yield();
      }
      promise->set_value({std::this_thread::get_id(), started.load() == 4});
    });
  }
  for (auto& result : ran) {
    auto [thread, all_started] = result.get();
    CHECK(thread != std::this_thread::get_id());
    CHECK(all_started);
  }
}

TEST_CASE("Stop runs everything queued before it returns, and later work runs at once") {
  WorkPool pool(1);
  std::atomic<int> done{0};
  auto move_only = std::make_unique<int>(1);  // a Reply is move-only too
  for (int i = 0; i < 100; ++i) pool.Post([&done] { done.fetch_add(1); });
  pool.Post([&done, value = std::move(move_only)] { done.fetch_add(*value); });
  pool.Stop();
  CHECK(done.load() == 101);
  std::thread::id ran_on;
  pool.Post([&ran_on] { ran_on = std::this_thread::get_id(); });
  CHECK(ran_on == std::this_thread::get_id());
  pool.Stop();  // idempotent
}
