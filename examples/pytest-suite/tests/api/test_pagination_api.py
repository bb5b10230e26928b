from chatapp.messages import paginate


def test_pages_cover_everything(api):
    items = list(range(95))
    pages = [paginate(items, p, 10) for p in range(10)]
    assert sum(pages, []) == items


def test_page_sizes(api):
    assert [len(paginate(list(range(95)), p, 10)) for p in range(10)][-1] == 5
