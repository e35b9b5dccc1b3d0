/* C++ call sites for the stacks tests.
 *
 * stacks_cxx.cc — C++ call sites for the stacks tests: operator new from a
 * member function, a template and a namespaced function, so demangled
 * names and the skipping of operator new can be checked.
 */
#include <memory>
#include <vector>

namespace shop
{

struct Item {
    long price;
    char name[40];
};

class Cart
{
  public:
    __attribute__((noinline)) void add(long price)
    {
        items_.push_back(new Item{price, {}}); // MARK Cart::add
    }
    ~Cart()
    {
        for (Item *i : items_)
            delete i;
    }

  private:
    std::vector<Item *> items_;
};

template <typename T> __attribute__((noinline)) T *make_array(std::size_t n)
{
    return new T[n]; // MARK make_array
}

} // namespace shop

int main()
{
    shop::Cart cart;
    for (int i = 0; i < 100; i++)
        cart.add(i);
    long *leak = nullptr;
    for (int i = 0; i < 10; i++) {
        delete[] leak;
        leak = shop::make_array<long>(16);
    }
    return leak ? 0 : 1;
}
