/* A C++ program using what C++ programs allocate through, with a deterministic result.
 *
 * cxx-containers: a C++ program using what C++ programs allocate through
 * (operator new/delete, std::string, node and hash containers, shared_ptr,
 * exceptions, iostreams), with a deterministic result.
 */
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace
{

struct Shape {
    virtual ~Shape() = default;
    virtual long area() const = 0;
};

struct Rect : Shape {
    long w, h;
    Rect(long w_, long h_) : w(w_), h(h_) {}
    long area() const override { return w * h; }
};

struct Square : Rect {
    explicit Square(long s) : Rect(s, s) {}
};

long parse_or_throw(const std::string &s)
{
    if (s.empty() || s[0] == 'x')
        throw std::invalid_argument("bad number: " + s);
    return std::stol(s);
}

} // namespace

int main()
{
    std::map<std::string, std::vector<int>> by_word;
    std::unordered_map<int, std::string> names;
    for (int i = 0; i < 20000; i++) {
        std::ostringstream w;
        w << "word" << (i * 7919) % 1000;
        by_word[w.str()].push_back(i);
        names[i % 5000] = w.str() + std::string(static_cast<size_t>(i % 64), '.');
    }
    std::vector<std::shared_ptr<Shape>> shapes;
    for (long i = 1; i <= 5000; i++) {
        if (i % 2)
            shapes.push_back(std::make_shared<Rect>(i, i + 1));
        else
            shapes.push_back(std::make_unique<Square>(i));
    }
    long area = 0;
    for (const auto &s : shapes)
        area += s->area();
    int errors = 0;
    for (const char *t : {"12", "x1", "", "40", "x"}) {
        try {
            area += parse_or_throw(t);
        } catch (const std::invalid_argument &e) {
            errors++;
            std::cerr << "caught: " << e.what() << "\n";
        }
    }
    size_t total = 0;
    for (const auto &kv : by_word)
        total += kv.second.size() * kv.first.size();
    std::cout << "words " << by_word.size() << " names " << names.size() << " total " << total
              << " area " << area << " errors " << errors << "\n";
    return errors == 3 ? 0 : 1;
}
