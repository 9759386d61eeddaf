import { NextRequest, NextResponse } from 'next/server';

const BRAIN_API_URL = process.env.BRAIN_API_URL || 'http://localhost:8000';

export async function GET(request: NextRequest) {
  try {
    // Pass every filter the page tree UI sends straight through to Wagtail
    const params = new URLSearchParams();
    request.nextUrl.searchParams.forEach((value: string, key: string) => {
      params.append(key, value);
    });

    const response = await fetch(
      `${BRAIN_API_URL}/api/cms/pages/?${params.toString()}`,
      {
        headers: {
          'Content-Type': 'application/json',
        },
      }
    );

    if (!response.ok) {
      return NextResponse.json(
        { error: 'Failed to fetch pages' },
        { status: response.status }
      );
    }

    const data = await response.json();
    return NextResponse.json(data);
  } catch (error) {
    console.error('Error fetching Wagtail pages:', error);
    return NextResponse.json(
      { error: 'Failed to fetch pages' },
      { status: 500 }
    );
  }
}

export async function PUT(request: NextRequest) {
  try {
    const { id, ...body } = await request.json();

    if (!id) {
      return NextResponse.json({ error: 'Page id is required' }, { status: 400 });
    }

    const response = await fetch(`${BRAIN_API_URL}/api/cms/pages/${id}/`, {
      method: 'PUT',
      headers: {
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(body),
    });

    if (!response.ok) {
      return NextResponse.json(
        { error: 'Failed to update page' },
        { status: response.status }
      );
    }

    const data = await response.json();
    return NextResponse.json(data);
  } catch (error) {
    console.error('Error updating Wagtail page:', error);
    return NextResponse.json(
      { error: 'Failed to update page' },
      { status: 500 }
    );
  }
}
