"""A ReportLab canvas that knows the page count when it draws each page's footer ("page x of y")."""
from reportlab.pdfgen.canvas import Canvas


class PageCountCanvas(Canvas):
    """Holds the pages back until the end, then calls `decorate(number, total)` on each before writing it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.decorate(number, total)
            super().showPage()
        super().save()

    def decorate(self, number: int, total: int) -> None:
        raise NotImplementedError
